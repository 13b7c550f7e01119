public import StratusHTTP
public import StratusLog
public import StratusResilience
public import StratusStore

/// The gateway's dependencies that the policies of one route use: its
/// consumers, its trusted proxies, and its connections to other services.
public struct PolicyEnvironment: Sendable {
    /// A name unique among the gateway's routes; cluster rate limits use it
    /// in their store keys.
    public var routeName: String
    public var consumers: ConsumerRegistry
    public var clientAddresses: ClientAddressResolver
    /// Fetches JWKS URLs.
    public var httpClient: HTTPClient
    /// Resolves `extAuthz` service names; nil when the gateway has no
    /// discovery.
    public var resolveService: ServiceResolver?
    /// The control plane's store, for cluster rate limits; nil when the
    /// gateway runs without a control plane.
    public var store: (any KeyValueStore)?
    public var wallClock: WallClock
    public var monotonicClock: ResilienceClock
    public var logger: Logger
    /// Rate limit middleware in use, which a route whose limit did not
    /// change keeps, with its quotas.
    var reusableRateLimits: [RateLimitReuseKey: GatewayRateLimitMiddleware] = [:]

    public init(
        routeName: String,
        consumers: ConsumerRegistry = .empty,
        clientAddresses: ClientAddressResolver = ClientAddressResolver(),
        httpClient: HTTPClient,
        resolveService: ServiceResolver? = nil,
        store: (any KeyValueStore)? = nil,
        wallClock: WallClock = .system,
        monotonicClock: ResilienceClock = .system,
        logger: Logger
    ) {
        self.routeName = routeName
        self.consumers = consumers
        self.clientAddresses = clientAddresses
        self.httpClient = httpClient
        self.resolveService = resolveService
        self.store = store
        self.wallClock = wallClock
        self.monotonicClock = monotonicClock
        self.logger = logger
    }
}
