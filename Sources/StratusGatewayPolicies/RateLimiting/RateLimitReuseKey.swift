import StratusStore

/// Everything a `GatewayRateLimitMiddleware`'s decisions depend on. When a
/// reloaded configuration gives a route an equal key, the gateway keeps
/// the middleware in use, with its quotas and leased tokens.
struct RateLimitReuseKey: Hashable, Sendable {
    let configuration: RateLimitConfiguration
    let routeName: String
    /// The store client's identity; a store that is not a class is never
    /// the same, so its limits are rebuilt.
    let store: ObjectIdentifier?
    /// The consumers' own limits, which apply with `key: consumer`.
    let consumerLimits: [String: ConsumerRateLimit]
    let trustedProxies: [CIDR]
    let forwardedHeader: String

    init(configuration: RateLimitConfiguration, routeName: String, store: (any KeyValueStore)?, consumers: ConsumerRegistry, clientAddresses: ClientAddressResolver) {
        self.configuration = configuration
        self.routeName = routeName
        self.store = store.flatMap { type(of: $0) is AnyClass ? ObjectIdentifier($0 as AnyObject) : nil }
        var limits: [String: ConsumerRateLimit] = [:]
        if configuration.key == .consumer {
            for consumer in consumers.consumers {
                limits[consumer.username] = consumer.rateLimit
            }
        }
        consumerLimits = limits
        trustedProxies = clientAddresses.trustedProxies
        forwardedHeader = clientAddresses.forwardedHeader
    }
}
