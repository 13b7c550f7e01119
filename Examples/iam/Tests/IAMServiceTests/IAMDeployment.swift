import Foundation
import Glibc
import IAMModel
import IAMStorage
import StratusControlPlane
import StratusDiscovery
import StratusHTTP
import StratusKit
import StratusLog
import StratusTestSupport

let quietLogger = Logger(label: "stratus.test.iam") { NoOpLogHandler(label: $0) }

/// One running IAM service process.
struct IAMProcess {
    let name: String
    let instanceID: String
    let process: ProbeProcess
    let baseURL: String
}

/// The IAM services as processes registered with an in-process control
/// plane, sharing one SQLite database in a temporary directory.
final class IAMDeployment: @unchecked Sendable {
    static let jwtKey = "test-jwt-key-0123456789"
    static let internalToken = "test-internal-token"
    static let pumpToken = "test-pump-token"

    let controlPlane: ControlPlane
    let controlPlaneURL: String
    let directory: URL
    let clients: ServiceClients
    let http = HTTPClient()
    private(set) var processes: [IAMProcess] = []

    /// The database every replica shares: a SQLite file in `directory`
    /// unless a PostgreSQL URL is given.
    let postgresURL: String?
    /// Whether the services talk through the control plane's event bus.
    let usesEventBus: Bool

    var databasePath: String { directory.appendingPathComponent("iam.db").path }

    /// Opens another connection to the shared database, for checks.
    func openStore() async throws -> SQLIAMStore {
        if let postgresURL {
            return try await SQLIAMStore.openPostgres(url: postgresURL)
        }
        return try await SQLIAMStore.openSQLite(path: databasePath)
    }

    private init(controlPlane: ControlPlane, url: String, directory: URL, postgresURL: String?, usesEventBus: Bool) throws {
        self.postgresURL = postgresURL
        self.usesEventBus = usesEventBus
        self.controlPlane = controlPlane
        controlPlaneURL = url
        self.directory = directory
        var configuration = ServiceClientConfiguration()
        configuration.perTryTimeout = .seconds(10)
        configuration.totalTimeout = .seconds(30)
        clients = try ServiceClients(controlPlane: try ControlPlaneClient(endpoints: [url]), configuration: configuration, logger: quietLogger)
    }

    /// Starts a control plane and the requested replicas of each service,
    /// and waits until every one of them reports ready.
    static func start(
        apiservers: Int = 1, authzServers: Int = 1, pumps: Int = 1, postgresURL: String? = nil, usesEventBus: Bool = false
    ) async throws -> IAMDeployment {
        let (controlPlane, url) = try await startMemoryControlPlane()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-iam-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let deployment = try IAMDeployment(controlPlane: controlPlane, url: url, directory: directory, postgresURL: postgresURL, usesEventBus: usesEventBus)
        for index in 0..<apiservers {
            try await deployment.launch("iam-apiserver", index: index)
        }
        for index in 0..<pumps {
            try await deployment.launch("iam-pump", index: index)
        }
        for index in 0..<authzServers {
            try await deployment.launch("iam-authz-server", index: index)
        }
        return deployment
    }

    /// Returns the service-specific flags every replica gets.
    private func arguments(for name: String) -> [String] {
        var common = ["--set", "server.port=0", "--set", "server.drainPeriod=0s", "--set", "log.accessLog=false"]
        if usesEventBus {
            common += ["--set", "events.backend=embedded", "--set", "events.url=\(controlPlaneURL)"]
        }
        let storage = postgresURL.map { ["--set", "storage.driver=postgres", "--set", "storage.url=\($0)"] }
            ?? ["--set", "storage.path=\(databasePath)"]
        switch name {
        case "iam-apiserver":
            return common + [
                "--set", "jwt.key=\(Self.jwtKey)",
                "--set", "internal.token=\(Self.internalToken)", "--set", "internal.pollInterval=50ms",
            ] + storage
        case "iam-authz-server":
            return common + [
                "--set", "apiserver.internalToken=\(Self.internalToken)", "--set", "audit.token=\(Self.pumpToken)",
                "--set", "audit.flushInterval=50ms", "--set", "clients.perTryTimeout=5s",
            ]
        default:
            return common + ["--set", "pump.token=\(Self.pumpToken)", "--set", "pump.aggregateInterval=200ms", "--set", "pump.ackTimeout=2s"] + storage
        }
    }

    @discardableResult
    func launch(_ name: String, index: Int) async throws -> IAMProcess {
        let instanceID = "\(name)-\(index)-\(UInt16.random(in: 0...UInt16.max))"
        let process = try ProbeProcess(
            name, arguments(for: name),
            logPath: directory.appendingPathComponent("\(instanceID).log").path,
            environment: ["STRATUS_CONTROLPLANE": controlPlaneURL, "STRATUS_LOG_FORMAT": "json", "STRATUS_INSTANCE_ID": instanceID]
        )
        let lines = LineReader(process.output)
        guard let address = await Self.startedAddress(lines) else {
            let log = (try? String(contentsOf: directory.appendingPathComponent("\(instanceID).log"), encoding: .utf8)) ?? ""
            throw EtcdPeerError(description: "\(name) did not start: \(log.suffix(2000))")
        }
        Task.detached { while await lines.nextLine() != nil {} }
        let started = IAMProcess(name: name, instanceID: instanceID, process: process, baseURL: "http://\(address)")
        processes.append(started)
        try await waitUntilReady(started)
        return started
    }

    /// Polls `/readyz` until it returns 200, for at most 30 seconds.
    func waitUntilReady(_ service: IAMProcess) async throws {
        for _ in 0..<600 {
            if let (response, _) = try? await http.execute(HTTPClientRequest(url: service.baseURL + "/readyz"), collectingUpTo: 1 << 16),
               response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw EtcdPeerError(description: "\(service.instanceID) did not become ready")
    }

    static func startedAddress(_ lines: LineReader) async -> String? {
        while let line = await lines.nextLine() {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  object["message"] as? String == "service started"
            else { continue }
            return object["server.address"] as? String
        }
        return nil
    }

    func replicas(of name: String) -> [IAMProcess] {
        processes.filter { $0.name == name }
    }

    /// Kills one replica with SIGKILL, as a crash would.
    func kill(_ service: IAMProcess) {
        service.process.kill(SIGKILL)
    }

    func stop() async {
        for service in processes {
            Glibc.kill(service.process.pid, SIGTERM)
        }
        for service in processes {
            _ = await Task.detached { service.process.waitForExit() }.value
        }
        await clients.shutdown()
        http.shutdown()
        await controlPlane.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
