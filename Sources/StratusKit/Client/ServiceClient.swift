public import StratusDiscovery
public import StratusHTTP
public import StratusLog
public import StratusResilience
public import StratusTelemetry
import Synchronization

/// A client of one service: it finds the instances through discovery (or a
/// fixed list), picks one with the load balancer, and sends the request
/// with timeouts, retries and a circuit breaker per instance.
///
/// ```swift
/// let users = ServiceClient(service: "iam-apiserver", controlPlane: controlPlane)
/// let user: User = try await users.get("/v1/users/alice")
/// ```
///
/// A call (`send`) works like this:
/// - Deadline: the call must end by `totalTimeout` from its start, or by
///   `Deadline.current` when that is earlier. Each attempt waits at most
///   `perTryTimeout` for the response head, and at most the time left.
///   Each attempt sends that wait as `Stratus-Timeout` (`DeadlineHeader`).
/// - Picking: the balancer picks among the UP instances. An instance whose
///   breaker is open is skipped and another is picked. A retry prefers an
///   instance that has not failed in this call. Every pick is reported to
///   the balancer exactly once.
/// - Retries: see `ServiceRetryPolicy`. Retries also need the retry budget
///   (about 10% of calls by default) and a backoff delay that fits in the
///   deadline. When retries stop after a response, `send` returns that
///   response; when no attempt got one, it throws.
/// - Tracing: each call is an INTERNAL span (`GET iam-apiserver`), child of
///   `ServiceContext.current`, and each attempt a CLIENT span under it whose
///   context goes out in `traceparent`.
/// - Metrics: see `ServiceClientMetrics` (`stratus_service_client_*`).
///
/// The whole response body is read, up to `maxResponseBodySize`.
///
/// Cancellation: the HTTP client does not stop a request in flight when
/// its task is cancelled, so a cancelled call ends when its current attempt
/// ends (within the attempt's timeout) and then throws `cancelled`.
///
/// Thread safety: all methods may be called from any task.
public final class ServiceClient: Sendable {
    public let service: String
    public let configuration: ServiceClientConfiguration
    /// The retry budget shared by the client's calls, for monitoring.
    public let retryBudget: RetryBudget

    let source: InstanceSource
    let balancer: any LoadBalancer
    let breakers: InstanceBreakers
    let http: HTTPClient
    let tracing: HTTPClientTracingMiddleware
    let metrics: ServiceClientMetrics
    let logger: Logger
    private let ownsHTTP: Bool
    private let isShutDown = Atomic<Bool>(false)

    /// Creates a client that finds the instances of `service` through the
    /// control plane. The discovery watch starts on the first call.
    ///
    /// - Parameters:
    ///   - http: the HTTP client to send with; give one without tracing
    ///     middleware, since this client traces each attempt itself. nil
    ///     makes one that `shutdown()` closes.
    ///   - balancer: the balancer to use in place of
    ///     `configuration.loadBalancing`.
    ///   - clock: the clock of the breakers and the retry budget.
    public convenience init(
        service: String,
        controlPlane: ControlPlaneClient,
        configuration: ServiceClientConfiguration = ServiceClientConfiguration(),
        http: HTTPClient? = nil,
        balancer: (any LoadBalancer)? = nil,
        metrics: MetricsRegistry = .shared,
        logger: Logger = Logger(label: "stratus.client"),
        clock: ResilienceClock = .system
    ) {
        let discovery = ServiceDiscovery(client: controlPlane, service: service, logger: logger)
        self.init(
            service: service, source: InstanceSource(discovery: discovery), configuration: configuration,
            http: http, balancer: balancer, metrics: metrics, logger: logger, clock: clock
        )
    }

    /// Creates a client of a fixed list of endpoints (`127.0.0.1:8080`,
    /// `[::1]:8080`), for tests and local development without a control
    /// plane. Each endpoint is an UP instance whose id is the endpoint.
    ///
    /// - Throws: `invalidConfiguration` naming an endpoint that is not
    ///   host:port or is listed twice.
    public convenience init(
        service: String,
        endpoints: [String],
        configuration: ServiceClientConfiguration = ServiceClientConfiguration(),
        http: HTTPClient? = nil,
        balancer: (any LoadBalancer)? = nil,
        metrics: MetricsRegistry = .shared,
        logger: Logger = Logger(label: "stratus.client"),
        clock: ResilienceClock = .system
    ) throws(ServiceClientError) {
        let snapshot = try StaticEndpoints.snapshot(service: service, endpoints: endpoints)
        self.init(
            service: service, source: InstanceSource(fixed: snapshot), configuration: configuration,
            http: http, balancer: balancer, metrics: metrics, logger: logger, clock: clock
        )
    }

    init(
        service: String,
        source: InstanceSource,
        configuration: ServiceClientConfiguration,
        http: HTTPClient?,
        balancer: (any LoadBalancer)?,
        metrics: MetricsRegistry,
        logger: Logger,
        clock: ResilienceClock
    ) {
        var logger = logger
        logger[metadataKey: "service.name"] = .string(service)
        let metrics = ServiceClientMetrics(service: service, registry: metrics)
        self.service = service
        self.configuration = configuration
        self.source = source
        self.balancer = balancer ?? configuration.loadBalancing.makeBalancer()
        self.http = http ?? Self.makeHTTPClient(configuration)
        ownsHTTP = http == nil
        tracing = HTTPClientTracingMiddleware(tracer: configuration.tracer)
        retryBudget = RetryBudget(configuration: configuration.retryBudget, clock: clock)
        breakers = InstanceBreakers(configuration: configuration.circuitBreaker, clock: clock) { [logger] instance, reasons in
            metrics.breakerOpened.increment()
            logger.info("circuit breaker opened", metadata: [
                "instance.id": .string(instance.id),
                "upstream.endpoint": .string(instance.endpoint),
                "breaker.reasons": .array(reasons.map { .string($0) }),
            ])
        }
        self.metrics = metrics
        self.logger = logger
    }

    /// Makes an HTTP client whose timeouts match one attempt, so that opening a
    /// connection or a stalled body cannot outlast `perTryTimeout`.
    static func makeHTTPClient(_ configuration: ServiceClientConfiguration) -> HTTPClient {
        var http = HTTPClientConfiguration()
        http.connectTimeout = configuration.perTryTimeout
        http.requestTimeout = configuration.perTryTimeout
        http.readTimeout = configuration.perTryTimeout
        return HTTPClient(configuration: http)
    }

    /// Stops the discovery watch and, when the client made its own, the HTTP
    /// client. Later calls throw `shutDown`; calls in flight finish.
    public func shutdown() {
        guard !isShutDown.exchange(true, ordering: .relaxed) else { return }
        source.stop()
        if ownsHTTP {
            http.shutdown()
        }
    }

    var hasShutDown: Bool { isShutDown.load(ordering: .relaxed) }

    /// Returns the phase of the breaker of the instance with `instanceID`, or
    /// nil when no call has picked that instance yet.
    public func breakerPhase(of instanceID: String) -> CircuitBreakerState.Phase? {
        breakers.existingBreaker(for: instanceID)?.phase
    }

    deinit {
        source.stop()
        if ownsHTTP {
            http.shutdown()
        }
    }
}
