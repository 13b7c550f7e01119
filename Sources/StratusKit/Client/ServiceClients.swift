public import StratusDiscovery
import StratusHTTP
public import StratusLog
public import StratusResilience
public import StratusTelemetry
import Synchronization

/// The service clients of a process, one per service name, sharing one
/// HTTP client.
///
/// `client(for:)` makes a service's client on first use and returns the
/// same one afterwards; its discovery watch starts on its first call.
/// A service listed in `staticEndpoints` uses that list instead of
/// discovery, which lets tests and local development run without a control
/// plane. `shutdown()` stops every watch and the HTTP client.
///
/// Thread safety: all methods may be called from any task.
public final class ServiceClients: Sendable {
    private struct State {
        var clients: [String: ServiceClient] = [:]
        var isShutDown = false
    }

    public let configuration: ServiceClientConfiguration
    private let controlPlane: ControlPlaneClient?
    private let staticSnapshots: [String: InstanceSnapshot]
    private let http: HTTPClient
    private let metrics: MetricsRegistry
    private let logger: Logger
    private let clock: ResilienceClock
    private let state = Mutex(State())

    /// - Parameters:
    ///   - controlPlane: where services are discovered; nil when every
    ///     service called is in `staticEndpoints`.
    ///   - staticEndpoints: endpoints by service name (`["iam-apiserver":
    ///     ["127.0.0.1:8080"]]`), used instead of discovery for those services.
    /// - Throws: `invalidConfiguration` naming an endpoint that is not
    ///   host:port or is listed twice.
    public init(
        controlPlane: ControlPlaneClient?,
        staticEndpoints: [String: [String]] = [:],
        configuration: ServiceClientConfiguration = ServiceClientConfiguration(),
        metrics: MetricsRegistry = .shared,
        logger: Logger = Logger(label: "stratus.client"),
        clock: ResilienceClock = .system
    ) throws(ServiceClientError) {
        var snapshots: [String: InstanceSnapshot] = [:]
        for (service, endpoints) in staticEndpoints {
            snapshots[service] = try StaticEndpoints.snapshot(service: service, endpoints: endpoints)
        }
        self.controlPlane = controlPlane
        self.configuration = configuration
        staticSnapshots = snapshots
        http = ServiceClient.makeHTTPClient(configuration)
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Returns the client of `service`, making it on first use.
    ///
    /// Without a control plane and static endpoints for `service`, the
    /// client has no instances and its calls throw `noInstances`. After
    /// `shutdown()`, the returned client's calls throw `shutDown`.
    public func client(for service: String) -> ServiceClient {
        if let existing = state.withLock({ $0.clients[service] }) {
            return existing
        }
        let made = makeClient(for: service)
        let (client, isShutDown) = state.withLock { state in
            if let existing = state.clients[service] {
                return (existing, false)
            }
            if !state.isShutDown {
                state.clients[service] = made
            }
            return (made, state.isShutDown)
        }
        if isShutDown {
            made.shutdown()
        }
        return client
    }

    private func makeClient(for service: String) -> ServiceClient {
        let source: InstanceSource
        if let snapshot = staticSnapshots[service] {
            source = InstanceSource(fixed: snapshot)
        } else if let controlPlane {
            source = InstanceSource(discovery: ServiceDiscovery(client: controlPlane, service: service, logger: logger))
        } else {
            source = InstanceSource(fixed: .empty)
        }
        return ServiceClient(
            service: service, source: source, configuration: configuration,
            http: http, balancer: nil, metrics: metrics, logger: logger, clock: clock
        )
    }

    /// Stops every client's discovery watch and closes the shared HTTP
    /// client. Calls in flight finish; later calls throw `shutDown`.
    public func shutdown() async {
        let clients = state.withLock { state in
            state.isShutDown = true
            return Array(state.clients.values)
        }
        for client in clients {
            client.shutdown()
        }
        http.shutdown()
    }
}
