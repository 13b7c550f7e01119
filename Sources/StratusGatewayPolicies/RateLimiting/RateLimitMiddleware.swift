public import StratusHTTP
public import StratusLog
public import StratusResilience
public import StratusStore

/// Applies a `RateLimitConfiguration` to requests: finds the request's key,
/// takes a decision from that key's limiter, and responds to a rejection
/// with 429 (`RateLimitResponse`).
///
/// Local scope uses the resilience module's `TokenBucketLimiter`, cluster
/// scope a `ClusterRateLimiter` per key whose store key is
/// `/stratus/gateway/ratelimit/<route>/<SHA-256 of the key>`, so header
/// values such as API keys never reach the store.
public final class GatewayRateLimitMiddleware: RouterMiddleware {
    public let configuration: RateLimitConfiguration
    /// The inputs this middleware was built from.
    let reuseKey: RateLimitReuseKey
    private let routeName: String
    private let clientAddresses: ClientAddressResolver
    private let local: KeyedLimiterTable<TokenBucketLimiter>?
    private let cluster: KeyedLimiterTable<ClusterRateLimiter>?

    /// - Parameters:
    ///   - routeName: names the route's store keys; unique in the gateway.
    ///   - store: the control plane's store; required for cluster scope.
    public init(
        configuration: RateLimitConfiguration,
        routeName: String,
        store: (any KeyValueStore)?,
        consumers: ConsumerRegistry = .empty,
        clientAddresses: ClientAddressResolver = ClientAddressResolver(),
        clock: WallClock = .system,
        monotonicClock: ResilienceClock = .system,
        logger: Logger
    ) throws(PolicyConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        reuseKey = RateLimitReuseKey(configuration: configuration, routeName: routeName, store: store, consumers: consumers, clientAddresses: clientAddresses)
        self.routeName = routeName
        self.clientAddresses = clientAddresses
        let rateFor = { @Sendable (key: String) -> (rate: Double, burst: Int?) in
            guard configuration.key == .consumer, let own = consumers.consumer(named: key)?.rateLimit else {
                return (configuration.rate, nil)
            }
            return (own.rate, own.burst)
        }
        switch configuration.scope {
        case .local:
            local = KeyedLimiterTable(capacity: configuration.maxKeys) { key in
                let (rate, burst) = rateFor(key)
                let windowBurst = Int((rate * Double(configuration.window.wholeNanoseconds) / 1e9).rounded(.up))
                return TokenBucketLimiter(rate: rate, burst: burst ?? max(1, windowBurst), clock: monotonicClock)
            }
            cluster = nil
        case .cluster:
            guard let store else {
                throw PolicyConfigurationError(field: "scope", value: "cluster", expected: "local, because this gateway has no control plane store")
            }
            local = nil
            cluster = KeyedLimiterTable(capacity: configuration.maxKeys) { key in
                let limiterConfiguration = ClusterRateLimiter.Configuration(
                    name: "\(routeName)/\(SHA256Digest(of: key))",
                    rate: rateFor(key).rate,
                    window: configuration.window,
                    replicas: configuration.replicas,
                    leaseTimeout: configuration.leaseTimeout
                )
                return ClusterRateLimiter(configuration: limiterConfiguration, store: store, clock: clock, logger: logger)
            }
        }
    }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let key = self.key(of: request, context: context)
        let decision: PolicyDecision
        if let local {
            decision = local.limiter(for: key).acquire()
        } else if let cluster {
            decision = await cluster.limiter(for: key).acquire()
        } else {
            decision = .admitted
        }
        switch decision {
        case .admitted:
            return try await next(request, context)
        case .rejected(let retryAfter):
            return RateLimitResponse.make(retryAfter: retryAfter)
        }
    }

    private func key(of request: Request, context: RequestContext) -> String {
        switch configuration.key {
        case .route: ""
        case .consumer: GatewayConsumer.current?.username ?? ""
        case .clientAddress: clientAddresses.clientAddress(of: request, context: context)?.description ?? "unknown"
        case .header: configuration.header.flatMap { request.headers[$0] } ?? ""
        }
    }
}
