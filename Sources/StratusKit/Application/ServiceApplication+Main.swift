import Foundation
import Glibc
import StratusTelemetry

extension ServiceApplication {
    /// The exit status after a start failure: invalid configuration, a
    /// port in use, a rejected registration, a worker that failed.
    public static let startFailureStatus: Int32 = 1
    /// The exit status after an invalid command line.
    public static let usageStatus: Int32 = 2

    /// Runs a service as the process's main function: reads the command
    /// line and the configuration, sets up logging and tracing, lets
    /// `configure` add routes, workers and checks, runs the service until
    /// SIGTERM or SIGINT, and exits.
    ///
    /// ```swift
    /// @main
    /// struct Greeter {
    ///     static func main() async {
    ///         await ServiceApplication.main(name: "greeter", version: "1.0.0") { app in
    ///             app.router.get("/v1/greetings/:name") { _, context in "Hello!" }
    ///         }
    ///     }
    /// }
    /// ```
    ///
    /// Command line: `--config FILE` (or `STRATUS_CONFIG`) names the YAML
    /// file, `--set KEY=VALUE` overrides one key, and `--help` prints the
    /// usage. Environment variables prefixed with the service name override
    /// keys as the configuration docs describe. The process exits 0 after a
    /// graceful shutdown, `startFailureStatus` with one line on standard
    /// error when it cannot start or a worker fails, and `usageStatus` for
    /// an invalid command line.
    @MainActor
    public static func main(
        name: String,
        version: String = "",
        arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        configure: (ServiceApplication) async throws -> Void
    ) async -> Never {
        var commandLine: CommandLineConfiguration
        do {
            commandLine = try CommandLineConfiguration.parse(arguments)
        } catch {
            exitWithMessage("\(name): \(error)\nRun \(name) --help for the options.", status: usageStatus)
        }
        if commandLine.remaining.contains("--help") || commandLine.remaining.contains("-h") {
            print(usage(name: name))
            exit(0)
        }
        let isHealthCheck = commandLine.remaining.contains(healthCheckFlag)
        commandLine.remaining.removeAll { $0 == healthCheckFlag }
        guard commandLine.remaining.isEmpty else {
            exitWithMessage("\(name): unknown argument \(commandLine.remaining[0])\nRun \(name) --help for the options.", status: usageStatus)
        }
        let environment: [String: String]
        do {
            environment = try applyingPortVariable(to: ProcessInfo.processInfo.environment, name: name)
        } catch {
            exitWithMessage("\(name): \(error)", status: startFailureStatus)
        }
        var processor: BatchSpanProcessor?
        do {
            let loader = ConfigurationLoader(
                file: commandLine.file ?? environment[configFileVariable],
                environment: environment,
                environmentPrefix: environmentPrefix(for: name),
                overrides: commandLine.overrides
            )
            let settings = try KitSettings.load(from: loader, environment: environment)
            if isHealthCheck {
                await exitWithHealthCheck(settings.server)
            }
            try ProcessTelemetry.bootstrapLogging(settings.log)
            let app = try ServiceApplication(name: name, version: version, settings: settings, configuration: loader)
            try await configure(app)
            try loader.checkUnknownKeys()
            let service = try app.makeService()
            processor = ProcessTelemetry.bootstrapTracing(settings.tracing, serviceName: name, version: version, instanceID: service.instanceID, metrics: app.metrics)
            try await service.run()
        } catch {
            await processor?.shutdown(timeout: .seconds(5))
            exitWithMessage("\(name): \(error)", status: startFailureStatus)
        }
        await processor?.shutdown(timeout: .seconds(5))
        exit(0)
    }

    /// The variable that sets `server.port` when no other override does,
    /// as Heroku and Cloud Run set it and `stratus up` sets it for each
    /// replica.
    public static let portVariable = "PORT"

    /// Returns `environment` with `PORT` turned into the service's
    /// `<PREFIX>_SERVER_PORT` override, unless that variable is set too. A
    /// `--set server.port=...` flag still wins over both.
    /// - Throws: `StartupError` when PORT is not a port number.
    static func applyingPortVariable(to environment: [String: String], name: String) throws -> [String: String] {
        guard let port = environment[portVariable], !port.isEmpty else { return environment }
        guard let number = Int(port), (0...65_535).contains(number) else {
            throw StartupError("invalid value \(port) in \(portVariable); expected a port from 0 to 65535")
        }
        let variable = "\(environmentPrefix(for: name))_SERVER_PORT"
        var result = environment
        if result[variable] == nil {
            result[variable] = "\(number)"
        }
        return result
    }

    /// The flag that probes a running instance instead of starting one.
    public static let healthCheckFlag = "--healthcheck"

    /// Sends `GET /healthz` to the instance this configuration describes
    /// and exits 0 on a 200 response, 1 otherwise.
    private static func exitWithHealthCheck(_ server: ServerSettings) async -> Never {
        let host = server.host == "0.0.0.0" || server.host == "::" ? "127.0.0.1" : server.host
        let authority = host.contains(":") ? "[\(host)]:\(server.port)" : "\(host):\(server.port)"
        let client = HTTPClient()
        let request = HTTPClientRequest(url: "http://\(authority)\(OperationalResponder.livenessPath)")
        let status = try? await client.execute(request, timeout: .seconds(2), collectingUpTo: 1024).0.status
        client.shutdown()
        exit(status == .ok ? 0 : 1)
    }

    /// The variable that names the configuration file when `--config` is absent.
    public static let configFileVariable = "STRATUS_CONFIG"

    /// Returns the prefix of the environment variables that override
    /// configuration keys: the service name in upper case with "-" as "_",
    /// such as `GREETER_API` for greeter-api.
    public static func environmentPrefix(for name: String) -> String {
        String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    static func usage(name: String) -> String {
        let prefix = environmentPrefix(for: name)
        return """
            usage: \(name) [--config FILE] [--set KEY=VALUE ...]
              --config FILE     YAML configuration file (default: $\(configFileVariable), or none)
              --set KEY=VALUE   override one configuration key, such as --set server.port=9000;
                                repeat for more keys
              --healthcheck     ask the running service's /healthz on server.port and exit 0
                                when it answers 200, 1 otherwise (for container health checks)
              --help            print this help
            Environment variables \(prefix)_<KEY> override keys too, such as \(prefix)_SERVER_PORT=9000.
            PORT sets server.port when neither \(prefix)_SERVER_PORT nor --set server.port does.
            STRATUS_CONTROLPLANE (comma-separated URLs) registers the service when the
            configuration has no controlPlane section. STRATUS_LOG_LEVEL and STRATUS_LOG_FORMAT
            override log.level and log.format.
            """
    }

    private static func exitWithMessage(_ message: String, status: Int32) -> Never {
        var line = message
        if !line.hasSuffix("\n") { line += "\n" }
        _ = line.withCString { write(2, $0, strlen($0)) }
        exit(status)
    }
}
