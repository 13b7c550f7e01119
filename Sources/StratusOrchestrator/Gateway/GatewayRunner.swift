import Foundation
import Glibc
public import StratusAppSpec

/// Runs the app's gateway, `stratus gateway`, as a child process: writes its
/// configuration from the spec's `gateway` section, restarts it after a
/// back-off when it exits, and stops it first when the app stops.
///
/// The configuration file is the section without `listen` and
/// `drainPeriod`, with `settings.controlPlane` set to the app's control
/// plane unless the section sets it, written as JSON (which YAML readers
/// accept) to `<state-dir>/gateway.yaml`.
public actor GatewayRunner {
    let spec: GatewaySpec
    let stateDirectory: String
    let controlPlaneURL: String
    let terminal: TerminalOutput?
    let supervisor: AppSupervisor
    let backoff: CrashBackoff
    let executable: String
    /// The gateway's base URL.
    public nonisolated let url: String
    let listen: ListenAddress

    private var pid: pid_t?
    private var stopping = false
    private var crashes = 0
    private var everReady = false
    private var failed = false

    public init(spec: GatewaySpec, app: String, stateDirectory: String, controlPlaneURL: String, terminal: TerminalOutput?, supervisor: AppSupervisor, backoff: CrashBackoff) {
        self.spec = spec
        self.stateDirectory = stateDirectory
        self.controlPlaneURL = controlPlaneURL
        self.terminal = terminal
        self.supervisor = supervisor
        self.backoff = backoff
        executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var listen = ListenAddress(parsing: spec.listen) ?? ListenAddress(host: "127.0.0.1", port: 8080)
        if listen.port == 0, let port = try? PortAllocator.freePort() {
            listen.port = port
        }
        self.listen = listen
        url = "http://\(listen)"
    }

    /// Writes the configuration and starts the gateway.
    public func start() async {
        await supervisor.setGateway(url: url, ready: false)
        do {
            try writeConfiguration()
        } catch {
            terminal?.write("cannot write the gateway's configuration: \(error)", from: "stratus", color: 0)
            return
        }
        launch()
        Task { await self.watchReadiness() }
    }

    var configurationPath: String {
        stateDirectory + "/gateway.yaml"
    }

    private func writeConfiguration() throws {
        var configuration = spec.configuration
        if case .object(var settings) = configuration["settings"] ?? .object([:]) {
            if settings["controlPlane"] == nil {
                settings["controlPlane"] = .array([.string(controlPlaneURL)])
            }
            configuration["settings"] = .object(settings)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(configuration).write(to: URL(fileURLWithPath: configurationPath))
    }

    private func launch() {
        guard !stopping else { return }
        let command = ProcessLauncher.Command(
            executable: executable,
            arguments: ["gateway", "--config", configurationPath, "--listen", listen.description, "--no-admin"],
            environment: ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" },
            workingDirectory: FileManager.default.currentDirectoryPath
        )
        do {
            let started = try ProcessLauncher.start(command)
            let logPath = stateDirectory + "/logs/gateway.log"
            OutputPump.start(reading: started.output, to: OutputPump.Destination(logPath: logPath, terminal: terminal, name: "gateway", color: 0))
            pid = started.pid
            let launched = started.pid
            ProcessWatcher.watch(launched) { exit in
                Task { await self.exited(launched, exit: exit) }
            }
        } catch {
            terminal?.write("cannot start the gateway: \(error)", from: "stratus", color: 0)
        }
    }

    private func exited(_ exitedPID: pid_t, exit: ProcessExit) async {
        guard pid == exitedPID else { return }
        pid = nil
        if !failed {
            await supervisor.setGateway(url: url, ready: false)
        }
        guard !stopping else { return }
        if exit == .exited(2) && !everReady {
            // Exit status 2 is a usage error: this stratus has no gateway
            // command, or rejects the options. A restart would fail the same way.
            failed = true
            terminal?.write("the gateway cannot start (\(exit)); see \(stateDirectory)/logs/gateway.log. The app runs without it.", from: "stratus", color: 0)
            await supervisor.setGateway(url: nil, ready: true)
            return
        }
        crashes += 1
        let delay = backoff.delay(afterCrashes: crashes)
        terminal?.write("gateway exited with \(exit); restarting in \(delay)", from: "stratus", color: 0)
        try? await Task.sleep(for: delay)
        launch()
    }

    /// Reports the gateway ready once its port accepts connections.
    private func watchReadiness() async {
        while !stopping && !failed {
            let ready = pid != nil && Self.accepts(listen)
            await supervisor.setGateway(url: url, ready: ready)
            if ready {
                crashes = 0
                everReady = true
            }
            try? await Task.sleep(for: .milliseconds(ready ? 1000 : 100))
        }
    }

    /// Sends SIGTERM and waits for the gateway to exit: up to its drain
    /// period plus 10 s, then SIGKILL.
    public func stop() async {
        stopping = true
        guard let current = pid else { return }
        kill(-current, SIGTERM)
        let deadline = ContinuousClock.now + spec.drainPeriod + .seconds(10)
        while pid == current && ProcessWatcher.groupExists(current) {
            if ContinuousClock.now >= deadline {
                kill(-current, SIGKILL)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Returns whether a TCP connection to the address succeeds.
    nonisolated static func accepts(_ address: ListenAddress) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = UInt16(address.port).bigEndian
        guard inet_pton(AF_INET, address.host == "0.0.0.0" ? "127.0.0.1" : address.host, &target.sin_addr) == 1 else { return false }
        return withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
