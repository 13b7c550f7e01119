import Foundation
import StratusGateway
import StratusGatewayPolicies
import StratusLog
import StratusNet
import StratusTelemetry

/// `stratus gateway`: serves the API gateway until SIGINT or SIGTERM,
/// following its configuration file or store key.
enum GatewayCommand {
    static let usage = """
        usage: stratus gateway (--config FILE | --config-store URL [--config-key KEY])
                               [--listen ADDRESS:PORT] [--admin-listen ADDRESS:PORT]
                               [--admin-token-file FILE | --admin-token TOKEN] [--admin-insecure]
                               [--no-admin] [--watch-interval DURATION]
          --config FILE          the YAML configuration; read again every --watch-interval
          --config-store URL     read the configuration from the store of the control
                                 plane at URL (http://HOST:PORT) and watch it
          --config-key KEY       the store key (default \(GatewayConfigurationSource.defaultStoreKey))
          --listen ADDRESS       address and port of the proxy (default 127.0.0.1:8080;
                                 port 0 picks a free port, printed at start)
          --admin-listen ADDRESS address and port of the admin API (default 127.0.0.1:9080)
          --admin-token-file FILE
                                 read the admin API's bearer token from FILE
          --admin-token TOKEN    the bearer token (visible in the process list; prefer
                                 the file or STRATUS_GATEWAY_ADMIN_TOKEN)
          --admin-insecure       serve the admin API without a token; allowed only on a
                                 loopback address
          --no-admin             serve no admin API
          --watch-interval D     how often the file is read again (default 1s)
        STRATUS_GATEWAY_ADMIN_TOKEN sets the token. STRATUS_LOG_LEVEL and
        STRATUS_LOG_FORMAT (json or console) set the log level and format.
        """

    struct Options {
        var source: GatewayConfigurationSource?
        var storeURL: String?
        var storeKey = GatewayConfigurationSource.defaultStoreKey
        var settings = Gateway.Settings()
        var tokenFile: String?
        var insecure = false
        var watchInterval: Duration = .seconds(1)
    }

    static func run(_ arguments: [String]) async {
        var options: Options
        do {
            options = try parse(arguments)
            try resolveToken(&options)
            try Telemetry.bootstrapLogging(level: .info)
        } catch {
            fail("stratus gateway: \(error)\n\n" + usage)
        }
        guard let source = options.source else {
            fail("stratus gateway: missing --config FILE or --config-store URL\n\n" + usage)
        }
        PolicyPlugins.register(in: options.settings.plugins, logger: options.settings.logger)
        let gateway: Gateway
        let revision: Int64
        do {
            let (bytes, storeRevision) = try await source.read()
            revision = storeRevision
            gateway = try await Gateway(settings: options.settings, yaml: bytes, origin: source.description)
            try await gateway.start()
        } catch {
            fail("stratus gateway: cannot start: \(error)", status: 1)
        }
        let admin = gateway.adminAddress.map { "http://\($0)" } ?? "disabled"
        print("stratus gateway listening on http://\(gateway.localAddress!) (admin \(admin))")
        fflush(nil)
        let follower = Task { await gateway.follow(source, from: revision, interval: options.watchInterval) }
        _ = await TerminationSignal.wait()
        follower.cancel()
        await gateway.shutdown()
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            switch name {
            case "--help", "-h":
                print(usage)
                exit(0)
            case "--admin-insecure":
                options.insecure = true
                continue
            case "--no-admin":
                options.settings.adminDisabled = true
                continue
            default:
                break
            }
            guard let value = iterator.next() else {
                throw UsageError("missing value for \(name)")
            }
            try apply(name, value, to: &options)
        }
        if let url = options.storeURL {
            guard options.source == nil else { throw UsageError("--config and --config-store exclude each other; give one") }
            options.source = .store(controlPlane: url, key: options.storeKey)
            options.settings.storeEndpoints = [url]
        }
        return options
    }

    private static func apply(_ name: String, _ value: String, to options: inout Options) throws {
        switch name {
        case "--config":
            options.source = .file(path: value)
        case "--config-store":
            guard value.hasPrefix("http://") else { throw UsageError("invalid --config-store \(value): expected http://HOST:PORT, such as http://127.0.0.1:7700") }
            options.storeURL = value
        case "--config-key":
            guard value.hasPrefix("/") else { throw UsageError("invalid --config-key \(value): expected a key starting with /") }
            options.storeKey = value
        case "--listen":
            (options.settings.host, options.settings.port) = try ControlPlaneCommand.parseListen(value)
        case "--admin-listen":
            (options.settings.adminHost, options.settings.adminPort) = try ControlPlaneCommand.parseListen(value)
        case "--admin-token-file":
            options.tokenFile = value
        case "--admin-token":
            options.settings.adminToken = value
        case "--watch-interval":
            guard let duration = parseDuration(value) else { throw UsageError("invalid --watch-interval \(value): expected a duration such as 500ms or 2s") }
            options.watchInterval = duration
        default:
            throw UsageError("unknown option \(name)")
        }
    }

    /// Takes the token from the flag, the file or the environment, and
    /// refuses an admin API without one unless it is insecure on loopback.
    private static func resolveToken(_ options: inout Options) throws {
        if let file = options.tokenFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw UsageError("cannot read --admin-token-file \(file)")
            }
            options.settings.adminToken = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if options.settings.adminToken == nil, let token = ProcessInfo.processInfo.environment["STRATUS_GATEWAY_ADMIN_TOKEN"], !token.isEmpty {
            options.settings.adminToken = token
        }
        if let token = options.settings.adminToken, token.count < 16 {
            throw UsageError("the admin token has \(token.count) characters; use at least 16, such as the output of `openssl rand -hex 16`")
        }
        guard options.settings.adminToken == nil, !options.settings.adminDisabled else { return }
        guard options.insecure else {
            throw UsageError("the admin API needs a token: pass --admin-token-file FILE, set STRATUS_GATEWAY_ADMIN_TOKEN, or pass --admin-insecure on a loopback address, or --no-admin")
        }
        let host = options.settings.adminHost
        guard host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.") else {
            throw UsageError("--admin-insecure is allowed only on a loopback address, not \(host); give the admin API a token")
        }
    }

    private static func parseDuration(_ text: String) -> Duration? {
        if text.hasSuffix("ms"), let value = Int(text.dropLast(2)), value > 0 { return .milliseconds(value) }
        if text.hasSuffix("s"), let value = Int(text.dropLast()), value > 0 { return .seconds(value) }
        return nil
    }
}
