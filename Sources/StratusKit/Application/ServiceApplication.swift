public import StratusEvents
import StratusDiscovery
public import StratusHTTP
public import StratusLog
public import StratusTelemetry

/// A service as the kit runs it: its name and version, its routes, the
/// background workers and readiness checks it declares, and the settings
/// they run with.
///
/// ```swift
/// let app = try ServiceApplication(name: "greeter", version: "1.0.0")
/// app.router.get("/v1/greetings/:name") { _, context in
///     "Hello, \(context.parameters["name"]!)!"
/// }
/// app.addReadinessCheck("database") { try await database.ping() }
/// try await app.run()
/// ```
///
/// The router already holds the standard middleware, outermost first:
/// recovery, request id, access log, metrics, tracing, deadline, load
/// shedding. Middleware the service adds runs inside it. `/healthz`,
/// `/readyz` and `/metrics` are answered before the router.
///
/// Thread safety: the application is a builder. Configure it from one task,
/// then call `run()` or `makeService()`, which freeze it.
public final class ServiceApplication {
    public let name: String
    public let version: String
    public let settings: KitSettings
    /// The service's configuration, for its own sections:
    /// `try app.configuration.load(MySettings.self, at: "mine")`.
    public let configuration: ConfigurationLoader
    /// The service's routes, with the standard middleware installed.
    public let router: Router
    public let logger: Logger
    public let metrics: MetricsRegistry
    /// The clients of the services this one calls; see `serviceClient(_:)`.
    public let clients: ServiceClients
    /// The event bus of the `events` settings section; nil without one.
    public let events: EventBus?
    /// The control plane's API, when one is configured.
    let controlPlane: ControlPlaneClient?
    /// The id this instance registers and follows the config center with:
    /// `controlPlane.instanceId`, `STRATUS_INSTANCE_ID`, or the host name
    /// and process id.
    public let instanceID: String
    /// The config-center namespaces the service follows, by name.
    var remoteConfigurations: [String: RemoteConfiguration] = [:]
    private(set) var readinessChecks: [ReadinessCheck] = []
    private(set) var workers: [Worker] = []
    let policies: StandardPolicies

    /// - Parameters:
    ///   - name: the service name, as registered and as callers address it:
    ///     lowercase letters, digits and "-", starting with a letter, at
    ///     most 63 characters.
    ///   - configuration: the loaded configuration, which `settings` came
    ///     from and the service reads its own sections from.
    ///   - metrics: where the kit's metrics go and what `/metrics` serves.
    /// - Throws: `StartupError` naming an invalid name or setting.
    public init(
        name: String,
        version: String = "",
        settings: KitSettings = KitSettings(),
        configuration: ConfigurationLoader = ConfigurationLoader(file: nil, environment: [:]),
        metrics: MetricsRegistry = .shared,
        logger: Logger? = nil
    ) throws(StartupError) {
        try Self.validate(name: name)
        try settings.validate()
        self.name = name
        self.version = version
        self.settings = settings
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger ?? Logger(label: name)
        instanceID = settings.controlPlane?.instanceID ?? InstanceIdentity.defaultID()
        policies = StandardPolicies(settings: settings, metrics: metrics)
        do {
            controlPlane = try settings.controlPlane.map { try ControlPlaneClient(endpoints: $0.endpoints) }
        } catch {
            throw StartupError("invalid controlPlane.endpoints: \(error)")
        }
        do {
            clients = try ServiceClients(
                controlPlane: controlPlane,
                staticEndpoints: settings.clients.endpoints,
                configuration: settings.clients.clientConfiguration,
                metrics: metrics,
                logger: self.logger
            )
        } catch {
            throw StartupError("invalid clients.endpoints: \(error.message)")
        }
        if let eventSettings = settings.events {
            let busConfiguration = try eventSettings.busConfiguration(controlPlane: settings.controlPlane)
            do {
                events = try EventBus(configuration: busConfiguration)
            } catch {
                throw StartupError("invalid events section: \(error.message)")
            }
        } else {
            events = nil
        }
        router = Router()
        for middleware in policies.standardMiddleware(settings: settings, metrics: metrics) {
            router.add(middleware: middleware)
        }
        try addConfiguredNamespaces()
    }

    /// Returns the client that calls `service` through discovery and the
    /// load balancer, with timeouts, retries and a breaker per instance.
    /// Every call for the same name shares one client.
    public func serviceClient(_ service: String) -> ServiceClient {
        clients.client(for: service)
    }

    /// Adds a check that `/readyz` runs: the service is ready only while
    /// every check passes. A check passes when it returns within `timeout`.
    public func addReadinessCheck(
        _ name: String,
        timeout: Duration = .seconds(2),
        _ check: @escaping @Sendable () async throws -> Void
    ) {
        readinessChecks.append(ReadinessCheck(name: name, timeout: timeout, check: check))
    }

    /// Adds a background worker. It starts once the server listens, and its
    /// task is cancelled after the server has stopped. A worker that throws
    /// stops the service with that error; one that returns is done.
    public func addWorker(_ name: String, _ body: @escaping @Sendable () async throws -> Void) {
        workers.append(Worker(name: name, kind: .always, body: body))
    }

    /// Adds a worker that runs only while this instance leads the election
    /// `name` among the instances of the service, and whose task is
    /// cancelled as soon as the leadership is lost. The instances campaign
    /// through the control plane's store; without a control plane the only
    /// instance leads.
    public func withLeadership(_ name: String, _ body: @escaping @Sendable () async throws -> Void) {
        workers.append(Worker(name: name, kind: .leaderOnly, body: body))
    }

    private static func validate(name: String) throws(StartupError) {
        let isDNSLabel = !name.isEmpty && name.utf8.count <= 63
            && name.utf8.first.map { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) } == true
            && name.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
        guard isDNSLabel else {
            throw StartupError(
                "invalid service name \"\(name)\"; expected lowercase letters, digits and \"-\", starting with a letter, at most 63 characters"
            )
        }
    }
}

/// Background work declared on a `ServiceApplication`.
struct Worker: Sendable {
    enum Kind: Sendable {
        case always
        case leaderOnly
    }

    let name: String
    let kind: Kind
    let body: @Sendable () async throws -> Void
}

extension ServiceApplication {
    /// Freezes the application into a service to run, alone or in a
    /// `ServiceGroup`.
    ///
    /// - Parameter handlesSignals: whether SIGTERM and SIGINT start the
    ///   graceful shutdown. Turn it off when a `ServiceGroup` handles them.
    /// - Throws: `StartupError` when the event loops cannot start.
    public func makeService(handlesSignals: Bool = true) throws(StartupError) -> ApplicationService {
        try ApplicationService(application: self, handlesSignals: handlesSignals)
    }

    /// Runs the service until SIGTERM or SIGINT, then drains and stops it,
    /// as `ApplicationService` describes.
    ///
    /// - Throws: `StartupError` when it cannot start, or the error of a
    ///   worker that failed.
    public func run() async throws {
        try await makeService().run()
    }
}
