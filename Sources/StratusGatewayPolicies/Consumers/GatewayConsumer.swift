/// A named caller of the gateway, such as a partner application or a team:
/// the identity that authentication finds behind a credential.
///
/// After a route's authentication succeeds, the consumer is
/// `GatewayConsumer.current` in the middleware and handlers that run after
/// it, and the upstream receives its name in `X-Consumer-Username` (see
/// `ConsumerHeaders`).
public struct GatewayConsumer: Sendable, Hashable {
    /// The unique name, forwarded as `X-Consumer-Username`.
    public let username: String
    /// An identifier of the consumer in another system, forwarded as
    /// `X-Consumer-Custom-Id`.
    public let customID: String?
    /// The consumer's own rate limit, which a `rateLimit` plugin keyed by
    /// consumer applies in place of the route's.
    public let rateLimit: ConsumerRateLimit?
    /// Whether this is a route's anonymous consumer, used for requests
    /// without credentials.
    public let isAnonymous: Bool
    /// The authentication of the current request; nil for a consumer read
    /// from the registry rather than from a request.
    public internal(set) var authentication: Authentication?

    public init(username: String, customID: String? = nil, rateLimit: ConsumerRateLimit? = nil, isAnonymous: Bool = false) {
        self.username = username
        self.customID = customID
        self.rateLimit = rateLimit
        self.isAnonymous = isAnonymous
        authentication = nil
    }

    /// The consumer the current request authenticated as, inside the
    /// middleware and handlers that run after a route's authentication;
    /// nil elsewhere and on routes without authentication.
    @TaskLocal public static var current: GatewayConsumer?

    /// Returns this consumer as the result of authenticating with `method`.
    func authenticated(by method: Authentication.Method, subject: String? = nil) -> GatewayConsumer {
        var copy = self
        copy.authentication = Authentication(method: method, subject: subject)
        return copy
    }
}

/// The method and principal a request authenticated with.
public struct Authentication: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable {
        case keyAuth
        case basicAuth
        case jwt
        /// No credential: the route's anonymous consumer.
        case anonymous
    }

    public let method: Method
    /// The principal inside the consumer: a token's `sub` claim or a Basic
    /// user name; nil for API keys and anonymous requests.
    public let subject: String?
}

/// A consumer's rate limit: `rate` requests per second with bursts of
/// `burst`.
public struct ConsumerRateLimit: Decodable, Sendable, Hashable {
    public var rate: Double
    /// Default: one second's worth of `rate`, at least 1.
    public var burst: Int?

    public init(rate: Double, burst: Int? = nil) {
        self.rate = rate
        self.burst = burst
    }

    var effectiveBurst: Int {
        burst ?? max(1, Int(rate.rounded(.up)))
    }

    func validate(field: String) throws(PolicyConfigurationError) {
        guard rate > 0, rate.isFinite else {
            throw PolicyConfigurationError(field: field + ".rate", value: "\(rate)", expected: "a positive number of requests per second")
        }
        if let burst, burst < 1 {
            throw PolicyConfigurationError(field: field + ".burst", value: "\(burst)", expected: "at least 1")
        }
    }
}
