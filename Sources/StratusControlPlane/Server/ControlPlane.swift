import Foundation
import StratusEvents
import StratusHTTP
public import StratusLog
public import StratusNet
public import StratusStore
public import StratusTelemetry

/// The Stratus control plane: the service registry, the config center and
/// the store API over one store, served over HTTP.
///
/// It keeps no state beyond the store, so several replicas over one etcd
/// serve the same data; with the embedded store it runs as one process.
///
/// With `healthChecks` on, the replicas elect one leader over the store,
/// and only the leader runs the `HealthChecker` that probes instances and
/// marks them DOWN or UP. `shutdown` leaves the election first, so another
/// replica takes over at once.
///
/// ```swift
/// let controlPlane = try ControlPlane(configuration: .init(store: .embedded(directory: ".stratus")))
/// try await controlPlane.start()
/// print(controlPlane.localAddress!)      // 127.0.0.1:7700
/// await controlPlane.shutdown()
/// ```
public final class ControlPlane: Sendable {
    public struct Configuration: Sendable {
        public var store: StoreSpec
        /// The address to listen on: a numeric address or localhost.
        /// Default 127.0.0.1.
        public var host = "127.0.0.1"
        /// The port to listen on; 0 picks a free port. Default 7700.
        public var port = 7700
        public var logger = Logger(label: "stratus.controlplane")
        /// Whether this replica campaigns to run the health checker. Default
        /// true; tests that do not want probes turn it off.
        public var healthChecks = true
        /// The TTL in seconds of the health-checker election's lease: how long
        /// the other replicas wait to take over from a leader that died
        /// without leaving the election. Default 5.
        public var healthCheckLeaseTTL: Int64 = 5
        /// The metrics registry of the health checker's probe and status-change
        /// counters.
        public var healthCheckMetrics: MetricsRegistry = .shared
        /// The embedded event broker. When nil, the store decides: the
        /// `embedded:DIR` store keeps events in `DIR/events`, `memory` keeps
        /// them in memory, and with etcd the broker is off (use NATS) and
        /// `/api/v1/events` answers 503.
        public var events: EventBrokerConfiguration?
        /// The key that encrypts the config center's secret values; nil
        /// rejects secrets. The command reads it from `--secret-key-file` or
        /// `STRATUS_CONFIG_KEY`.
        public var secretKey: SecretKey?

        public init(store: StoreSpec = .embedded(directory: StoreSpec.defaultDirectory)) {
            self.store = store
        }
    }

    public let configuration: Configuration
    /// The store the control plane serves.
    public let store: any KeyValueStore
    public let registry: Registry
    /// The embedded event broker, nil when it is off.
    public let eventBroker: EventBroker?
    public let configCenter: ConfigCenter
    private let releaseHub: ReleaseHub
    private let server: HTTPServer
    /// Whether `shutdown` closes the store: true when the control plane
    /// opened it from `configuration.store`.
    private let ownsStore: Bool
    private let healthCheckElection: LeaderElector?
    let readiness = Readiness()
    let streams = OpenStreams()
    /// The method and template of every route, for the OpenAPI test.
    let routes: [(method: String, template: String)]

    /// The election that picks the replica running the health checker.
    public static let healthCheckElectionName = "/stratus/controllers/health-checker"

    /// Opens the store and prepares the server; `start` begins serving.
    ///
    /// - Throws: `StoreError` when the store cannot be opened.
    public convenience init(configuration: Configuration) throws {
        try self.init(configuration: configuration, store: configuration.store.open(), ownsStore: true)
    }

    /// Serves a store that the caller opened, such as one in-memory store
    /// shared by several replicas in a test. `configuration.store` is
    /// ignored. `shutdown` leaves the store open: the caller closes it.
    public convenience init(configuration: Configuration, store: any KeyValueStore) throws {
        try self.init(configuration: configuration, store: store, ownsStore: false)
    }

    private init(configuration: Configuration, store: any KeyValueStore, ownsStore: Bool) throws {
        self.configuration = configuration
        self.store = store
        self.ownsStore = ownsStore
        registry = Registry(store: store)
        eventBroker = try (configuration.events ?? configuration.store.defaultEvents).map {
            try EventBroker(configuration: $0, logger: configuration.logger)
        }
        configCenter = ConfigCenter(store: store, secretKey: configuration.secretKey)
        releaseHub = ReleaseHub(store: store, logger: configuration.logger)
        healthCheckElection = try Self.makeHealthCheckElection(configuration: configuration, store: store, registry: registry)
        let router = Router()
        router.add(middleware: RecoveryMiddleware())
        router.add(middleware: HTTPServerMetricsMiddleware())
        let configAPI = ConfigAPI(center: configCenter, hub: releaseHub, streams: streams)
        Self.addRoutes(to: router, store: store, registry: registry, config: configAPI, readiness: readiness, streams: streams, broker: eventBroker)
        routes = router.registeredRoutes.map { ("\($0.method)", $0.template) }
        server = HTTPServer(
            configuration: HTTPServerConfiguration(host: configuration.host, port: configuration.port),
            responder: router.buildResponder(),
            logger: configuration.logger
        )
    }

    /// The address the control plane listens on, once started.
    public var localAddress: SocketAddress? { server.localAddress }

    /// Whether this replica leads the health-checker election and runs the
    /// health checker now.
    public var isLeadingHealthChecks: Bool {
        healthCheckElection?.isLeader ?? false
    }

    /// Starts serving, then campaigns to run the health checker when
    /// `healthChecks` is on. `/readyz` reports ready once a store read
    /// succeeds.
    public func start() async throws {
        releaseHub.start()
        try await server.start()
        readiness.markReady()
        let address = localAddress.map { "\($0)" } ?? "-"
        healthCheckElection?.start(candidate: address)
        configuration.logger.info("control plane started", metadata: [
            "controlplane.address": .string(address),
            "controlplane.store": .string(ownsStore ? configuration.store.description : "\(type(of: store))"),
        ])
    }

    /// Shuts the control plane down in order. It leaves the health-checker
    /// election, which stops the checker if it runs here, and ends the
    /// registry's and the config center's watch streams so clients reconnect, to another replica if
    /// there is one. Then it finishes other requests in flight for up to
    /// `gracePeriod` and closes the store if the control plane opened it.
    public func shutdown(gracePeriod: Duration = .seconds(5)) async {
        readiness.markNotReady()
        streams.closeAll()
        // Ends long-polling fetches at once, then syncs what is queued.
        await eventBroker?.close()
        releaseHub.stop()
        await healthCheckElection?.stop()
        await server.shutdown(gracePeriod: gracePeriod)
        if ownsStore {
            await store.close()
        }
        configuration.logger.info("control plane stopped")
    }

    private static func makeHealthCheckElection(configuration: Configuration, store: any KeyValueStore, registry: Registry) throws -> LeaderElector? {
        guard configuration.healthChecks else { return nil }
        let checker = HealthChecker(registry: registry, logger: configuration.logger, metrics: configuration.healthCheckMetrics)
        return try LeaderElector(
            store: store,
            name: healthCheckElectionName,
            leaseTTL: configuration.healthCheckLeaseTTL,
            logger: configuration.logger
        ) {
            await checker.run()
        }
    }
}
