public import StratusLog
public import StratusNet
public import StratusTelemetry
import Foundation
import StratusHTTP
import StratusResilience
import Synchronization

/// The API gateway: one HTTP listener that routes requests to upstreams
/// under the current configuration, and an admin API on another listener.
///
/// ```swift
/// let gateway = try await Gateway(settings: .init(), yaml: Array(text.utf8), origin: "gateway.yaml")
/// try await gateway.start()
/// try await gateway.apply(yaml: Array(newText.utf8), origin: "gateway.yaml")   // a reload
/// await gateway.shutdown()
/// ```
///
/// A configuration is validated in full before it applies, and then swapped
/// in at once: requests already started finish on the configuration they
/// started with, new ones use the new one, and no connection is closed.
/// An invalid configuration throws `GatewayConfigurationError` and the
/// running one stays.
///
/// Thread safety: all methods may be called from any task; changes apply
/// one at a time.
public final class Gateway: Sendable {
    /// Settings fixed for the process's life, from the command line.
    public struct Settings: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        public var adminHost = "127.0.0.1"
        public var adminPort = 9080
        /// The bearer token the admin API requires; nil serves it without
        /// one, which `stratus gateway` allows only with `--admin-insecure`
        /// on a loopback address.
        public var adminToken: String?
        /// Serve no admin API at all.
        public var adminDisabled = false
        public var logger = Logger(label: "stratus.gateway")
        /// The logger of access log lines; nil writes none.
        public var accessLogger: Logger? = Logger(label: AccessLogMiddleware.defaultLabel)
        public var metrics: MetricsRegistry = .shared
        public var plugins = GatewayPluginRegistry()
        /// The control plane whose store plugin suites use, such as for
        /// cluster rate limits, when the configuration's
        /// `settings.controlPlane` is empty; `stratus gateway
        /// --config-store URL` sets it to URL.
        public var storeEndpoints: [String] = []
        /// The event loops of both listeners.
        public var group: EventLoopGroup = .shared

        public init() {}
    }

    public let settings: Settings
    let runtime: GatewayRuntime
    private let server: HTTPServer
    private let admin: HTTPServer?

    /// Validates and builds the first configuration; `start` begins serving.
    ///
    /// - Throws: `GatewayConfigurationError` for an invalid configuration.
    public init(settings: Settings, yaml: [UInt8], origin: String) async throws {
        self.settings = settings
        runtime = try await GatewayRuntime(settings: settings, yaml: yaml, origin: origin)
        var serverConfiguration = HTTPServerConfiguration(host: settings.host, port: settings.port)
        // The gateway enforces its own body limits while streaming.
        serverConfiguration.limits.maxBodySize = .max
        server = HTTPServer(configuration: serverConfiguration, responder: runtime.responder, group: settings.group, logger: settings.logger)
        if settings.adminDisabled {
            admin = nil
        } else {
            let router = Router()
            AdminAPI(runtime: runtime, token: settings.adminToken).register(on: router)
            admin = HTTPServer(
                configuration: HTTPServerConfiguration(host: settings.adminHost, port: settings.adminPort),
                responder: router.buildResponder(), group: settings.group, logger: settings.logger
            )
        }
    }

    /// Starts both listeners.
    public func start() async throws {
        try await server.start()
        try await admin?.start()
        settings.logger.info("gateway started", metadata: [
            "gateway.address": .string(server.localAddress.map { "\($0)" } ?? "-"),
            "gateway.admin_address": .string(admin?.localAddress.map { "\($0)" } ?? "disabled"),
        ])
    }

    /// The proxy listener's address, once started.
    public var localAddress: SocketAddress? { server.localAddress }

    /// The admin listener's address, once started.
    public var adminAddress: SocketAddress? { admin?.localAddress }

    /// The generation of the configuration in use, 1 for the first.
    public var generation: Int { runtime.responder.current.generation }

    /// The configuration in use.
    public var configuration: ValidatedGatewayConfiguration { runtime.responder.current.validated }

    /// Checks a configuration in full without applying it.
    public func validate(yaml: [UInt8], origin: String) throws(GatewayConfigurationError) -> ValidatedGatewayConfiguration {
        try runtime.validate(yaml: yaml, origin: origin)
    }

    /// Validates a configuration and, when it is valid, swaps it in;
    /// returns its generation. An unchanged text applies nothing and
    /// returns the current generation.
    ///
    /// - Throws: `GatewayConfigurationError`; the running configuration stays.
    @discardableResult
    public func apply(yaml: [UInt8], origin: String) async throws -> Int {
        try await runtime.apply(yaml: yaml, origin: origin)
    }

    /// Stops accepting, finishes requests in flight within `gracePeriod`,
    /// and stops the upstreams.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        await admin?.shutdown(gracePeriod: .seconds(1))
        await server.shutdown(gracePeriod: gracePeriod)
        runtime.responder.current.upstreams.values.forEach { $0.stop() }
        settings.logger.info("gateway stopped")
    }
}
