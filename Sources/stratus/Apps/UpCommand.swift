import Foundation
import StratusAppSpec
import StratusControlPlane
import StratusLog
import StratusNet
import StratusOrchestrator
import StratusTelemetry

/// `stratus up`: runs an app on this machine until Ctrl-C or `stratus down`.
enum UpCommand {
    static let usage = """
        usage: stratus up [-f FILE] [--set KEY=VALUE ...] [--no-build] [--state-dir DIR] [--no-color]

        Runs the app of an app spec on this machine: builds its products, starts the
        control plane, the gateway and every service's replicas, restarts replicas that
        exit, and runs until Ctrl-C or `stratus down`, then stops them in order.

          -f, --file FILE    the app spec (default stratus.yaml)
          --set KEY=VALUE    override one value of the spec, such as --set services[0].replicas=3;
                             repeat for more
          --no-build         run the products as already built instead of running swift build
          --state-dir DIR    the directory for logs, the embedded store and up.json (default .stratus)
          --no-color         no colors in the output (also when NO_COLOR is set or output is not a terminal)
        """

    static let options: [CommandOptions.Option] = [
        .init(names: ["-f", "--file"]), .init(names: ["--set"]), .init(names: ["--no-build"], takesValue: false),
        .init(names: ["--state-dir"]), .init(names: ["--no-color"], takesValue: false),
        // The unit of the crash back-off (default 1s): tests shorten it.
        .init(names: ["--backoff-unit"]),
    ]

    static func run(_ arguments: [String]) async {
        let options = CommandOptions(arguments, command: "stratus up", usage: usage, options: options)
        let stateDirectory = options.value("--state-dir") ?? UpState.defaultDirectory
        let file = options.value("--file") ?? AppSpecLoader.defaultFile
        let backoffUnit = options.duration("--backoff-unit") ?? .seconds(1)
        let spec = loadSpec(file, overrides: options.all("--set"), command: "stratus up")
        if let running = UpState.read(stateDirectory: stateDirectory) {
            fail("stratus up: app \(running.app) already runs from \(stateDirectory) (pid \(running.pid)); stop it with stratus down", status: 1)
        }
        let terminal = TerminalOutput(colors: options.flag("--no-color") ? false : nil)
        reserveColumns(terminal, spec: spec)
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory + "/logs", withIntermediateDirectories: true)
            _ = try Telemetry.bootstrapLogging(level: .warning)
        } catch {
            fail("stratus up: \(error)", status: 1)
        }
        if !options.flag("--no-build") {
            build(spec, stateDirectory: stateDirectory, terminal: terminal)
        }
        let session = UpSession(spec: spec, stateDirectory: stateDirectory, terminal: terminal, backoff: CrashBackoff(unit: backoffUnit))
        await session.run()
    }

    /// Loads and validates the spec, exiting 1 with every problem when it is invalid.
    static func loadSpec(_ file: String, overrides: [String], command: String) -> AppSpec {
        do {
            return try AppSpecLoader.load(path: file, overrides: overrides).resolvingPaths()
        } catch {
            fail("\(command): \(error)", status: 1)
        }
    }

    private static func build(_ spec: AppSpec, stateDirectory: String, terminal: TerminalOutput) {
        let builder = ProductBuilder(logDirectory: stateDirectory + "/logs", environment: ProcessInfo.processInfo.environment)
        do {
            try builder.build(spec) { terminal.write($0, from: "stratus", color: 0) }
        } catch {
            fail("stratus up: \(error)", status: 1)
        }
    }

    /// Sizes the prefix column for every replica name the spec starts with.
    private static func reserveColumns(_ terminal: TerminalOutput, spec: AppSpec) {
        terminal.reserve("stratus")
        terminal.reserve("gateway")
        for service in spec.services {
            terminal.reserve("\(service.name)-\(max(service.autoscale?.max ?? 0, service.replicas, 1) + 1)")
        }
    }
}
