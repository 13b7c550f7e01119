/// The `rateLimit` plugin: limit requests per route, consumer, client
/// address or header value, on each replica or across the cluster.
///
/// ```yaml
/// plugins:
///   rateLimit:
///     rate: 100          # requests per second
///     window: 1s
///     key: consumer      # route, consumer, clientAddress or header
///     scope: cluster     # local or cluster
///     replicas: 3
/// ```
///
/// With `key: consumer`, a consumer's own `rateLimit` replaces `rate` for
/// its requests.
public struct RateLimitConfiguration: Decodable, Sendable, Hashable {
    public enum Scope: String, Sendable, Hashable, CaseIterable, Decodable {
        /// Each replica admits `rate` on its own: a token bucket of `rate`
        /// per second with bursts of `rate × window`.
        case local
        /// All replicas together admit `rate`, counted in fixed windows
        /// through the control plane's store; see `ClusterRateLimiter`.
        case cluster
    }

    public enum Key: String, Sendable, Hashable, CaseIterable, Decodable {
        /// One quota for the route.
        case route
        /// A quota per consumer; requests without one share a quota.
        case consumer
        /// A quota per client address (see `ClientAddressResolver`).
        case clientAddress
        /// A quota per value of the header field `header`.
        case header
    }

    /// Requests per second. Required.
    public var rate: Double
    /// The window of `cluster` scope, and the burst (`rate × window`) of
    /// `local` scope. Default 1 s.
    public var window: Duration
    /// Default `local`.
    public var scope: Scope
    /// Default `route`.
    public var key: Key
    /// The header field of `key: header`.
    public var header: String?
    /// The number of gateway replicas; with `cluster` scope, each admits
    /// `rate ÷ replicas` on its own while the store is unreachable.
    /// Default 2.
    public var replicas: Int
    /// The time allowed for one lease from the store. Default 250 ms.
    public var leaseTimeout: Duration
    /// The maximum number of keys tracked at once; further keys share one
    /// quota. Default 10,000.
    public var maxKeys: Int

    public init(
        rate: Double,
        window: Duration = .seconds(1),
        scope: Scope = .local,
        key: Key = .route,
        header: String? = nil,
        replicas: Int = 2,
        leaseTimeout: Duration = .milliseconds(250),
        maxKeys: Int = 10_000
    ) {
        self.rate = rate
        self.window = window
        self.scope = scope
        self.key = key
        self.header = header
        self.replicas = replicas
        self.leaseTimeout = leaseTimeout
        self.maxKeys = maxKeys
    }

    private enum CodingKeys: String, CodingKey {
        case rate, window, scope, key, header, replicas, leaseTimeout, maxKeys
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RateLimitConfiguration(rate: 1)
        rate = try container.decode(Double.self, forKey: .rate)
        window = try container.decode(Duration.self, forKey: .window, or: defaults.window)
        scope = try container.decode(Scope.self, forKey: .scope, or: defaults.scope)
        key = try container.decode(Key.self, forKey: .key, or: defaults.key)
        header = try container.decodeIfPresent(String.self, forKey: .header)
        replicas = try container.decode(Int.self, forKey: .replicas, or: defaults.replicas)
        leaseTimeout = try container.decode(Duration.self, forKey: .leaseTimeout, or: defaults.leaseTimeout)
        maxKeys = try container.decode(Int.self, forKey: .maxKeys, or: defaults.maxKeys)
        try validate()
    }

    /// Checks every field, throwing an error that names the first invalid one.
    public func validate() throws(PolicyConfigurationError) {
        guard rate > 0, rate.isFinite, rate <= 1_000_000 else {
            throw PolicyConfigurationError(field: "rate", value: "\(rate)", expected: "a number of requests per second above 0 and at most 1,000,000")
        }
        guard window >= .milliseconds(10), window <= .seconds(3600) else {
            throw PolicyConfigurationError(field: "window", value: "\(window)", expected: "10ms to 1h")
        }
        switch (key, header) {
        case (.header, nil):
            throw PolicyConfigurationError(field: "header", value: nil, expected: "a header field name for key: header")
        case (.header, let name?):
            try HeaderName.validate(name, field: "header")
        case (_, let name?):
            throw PolicyConfigurationError(field: "header", value: name, expected: "no header unless key is header")
        default:
            break
        }
        guard (1...1000).contains(replicas) else {
            throw PolicyConfigurationError(field: "replicas", value: "\(replicas)", expected: "1 to 1,000")
        }
        guard leaseTimeout > .zero else {
            throw PolicyConfigurationError(field: "leaseTimeout", value: "\(leaseTimeout)", expected: "a positive duration such as 250ms")
        }
        guard maxKeys >= 1 else {
            throw PolicyConfigurationError(field: "maxKeys", value: "\(maxKeys)", expected: "at least 1")
        }
    }
}
