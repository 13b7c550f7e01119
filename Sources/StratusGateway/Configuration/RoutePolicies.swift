import StratusKit

/// The traffic policies of a route (`policies`), each with a dry-run mode
/// that counts what the policy would reject and lets the request pass.
public struct RoutePolicies: Sendable, Hashable, Decodable {
    public var rateLimits: [RateLimitConfiguration]
    public var concurrency: ConcurrencyConfiguration?
    public var bodyLimit: BodyLimitConfiguration?
    public var fallback: FallbackConfiguration?

    public init(rateLimits: [RateLimitConfiguration] = [], concurrency: ConcurrencyConfiguration? = nil, bodyLimit: BodyLimitConfiguration? = nil, fallback: FallbackConfiguration? = nil) {
        self.rateLimits = rateLimits
        self.concurrency = concurrency
        self.bodyLimit = bodyLimit
        self.fallback = fallback
    }

    private enum CodingKeys: String, CodingKey {
        case rateLimits, concurrency, bodyLimit, fallback
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rateLimits = try container.decode([RateLimitConfiguration].self, forKey: .rateLimits, default: [])
        concurrency = try container.decodeIfPresent(ConcurrencyConfiguration.self, forKey: .concurrency)
        bodyLimit = try container.decodeIfPresent(BodyLimitConfiguration.self, forKey: .bodyLimit)
        fallback = try container.decodeIfPresent(FallbackConfiguration.self, forKey: .fallback)
    }
}

/// A rate limit on a route, counted per key.
public struct RateLimitConfiguration: Sendable, Hashable, Decodable {
    /// The value requests are counted by.
    public enum Key: String, Sendable, Hashable, Decodable, CaseIterable {
        /// One quota for the whole route.
        case route
        /// A quota per client address (see `settings.trustedProxies`).
        case clientIP
        /// A quota per consumer; requests without one share a quota.
        case consumer
        /// A quota per value of the header named by `header`.
        case header
    }

    public enum Algorithm: String, Sendable, Hashable, Decodable, CaseIterable {
        case tokenBucket, slidingWindow
    }

    public var key: Key
    public var header: String?
    public var algorithm: Algorithm
    /// Token bucket: requests per second, above 0.
    public var rate: Double
    /// Token bucket: the bucket's size, at least 1. Default: the rate, rounded up.
    public var burst: Int
    /// Sliding window: requests per window, at least 1.
    public var limit: Int
    /// Sliding window: the window, at least 1 ms. Default 1 s.
    public var window: Duration
    /// Keys kept at once; the least recently used is dropped. Default 10000.
    public var maxKeys: Int
    public var dryRun: Bool

    private enum CodingKeys: String, CodingKey {
        case key, header, algorithm, rate, burst, limit, window, maxKeys, dryRun
    }

    public init(key: Key, algorithm: Algorithm = .tokenBucket, rate: Double = 1, burst: Int = 1, limit: Int = 1, window: Duration = .seconds(1), header: String? = nil, maxKeys: Int = 10_000, dryRun: Bool = false) {
        self.key = key
        self.header = header
        self.algorithm = algorithm
        self.rate = rate
        self.burst = burst
        self.limit = limit
        self.window = window
        self.maxKeys = maxKeys
        self.dryRun = dryRun
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(Key.self, forKey: .key)
        header = try container.decodeIfPresent(String.self, forKey: .header)
        try ConfigCheck.require(key != .header || !(header ?? "").isEmpty, .header, in: container, "key header needs the header's name in header, such as X-Api-Key")
        algorithm = try container.decode(Algorithm.self, forKey: .algorithm, default: .tokenBucket)
        switch algorithm {
        case .tokenBucket:
            rate = try container.decode(Double.self, forKey: .rate)
            try ConfigCheck.require(rate > 0 && rate.isFinite, .rate, in: container, "expected requests per second above 0")
            burst = try container.decode(Int.self, forKey: .burst, default: Int(rate.rounded(.up)))
            try ConfigCheck.require(burst >= 1, .burst, in: container, "expected at least 1")
            limit = 1
            window = .seconds(1)
        case .slidingWindow:
            limit = try container.decode(Int.self, forKey: .limit)
            try ConfigCheck.require(limit >= 1, .limit, in: container, "expected at least 1 request per window")
            window = try container.decode(Duration.self, forKey: .window, default: .seconds(1))
            try ConfigCheck.require(window >= .milliseconds(1), .window, in: container, "expected at least 1ms")
            rate = 1
            burst = 1
        }
        maxKeys = try container.decode(Int.self, forKey: .maxKeys, default: 10_000)
        try ConfigCheck.require(maxKeys >= 1, .maxKeys, in: container, "expected at least 1")
        dryRun = try container.decode(Bool.self, forKey: .dryRun, default: false)
    }
}

/// A limit on a route's requests in flight.
public struct ConcurrencyConfiguration: Sendable, Hashable, Decodable {
    public var limit: Int
    public var dryRun: Bool

    public init(limit: Int, dryRun: Bool = false) {
        self.limit = limit
        self.dryRun = dryRun
    }

    private enum CodingKeys: String, CodingKey {
        case limit, dryRun
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        limit = try container.decode(Int.self, forKey: .limit)
        try ConfigCheck.require(limit >= 1, .limit, in: container, "expected at least 1 request in flight")
        dryRun = try container.decode(Bool.self, forKey: .dryRun, default: false)
    }
}

/// A limit on a route's request body size (413 beyond it).
public struct BodyLimitConfiguration: Sendable, Hashable, Decodable {
    public var maxBytes: Int64
    public var dryRun: Bool

    public init(maxBytes: Int64, dryRun: Bool = false) {
        self.maxBytes = maxBytes
        self.dryRun = dryRun
    }

    private enum CodingKeys: String, CodingKey {
        case maxBytes, dryRun
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxBytes = try container.decode(Int64.self, forKey: .maxBytes)
        try ConfigCheck.require(maxBytes >= 0, .maxBytes, in: container, "expected a number of bytes, 0 or more")
        dryRun = try container.decode(Bool.self, forKey: .dryRun, default: false)
    }
}

/// The response of a route when its upstream's breaker is open, no
/// instance is available or every attempt failed before a response.
public struct FallbackConfiguration: Sendable, Hashable, Decodable {
    /// A fixed response, used when there is no fresh cached one.
    public var status: Int?
    public var body: String
    public var contentType: String
    /// Responds to GET requests with the last 2xx response to the same path
    /// and query, when one is cached and younger than `staleFor`.
    public var serveStale: Bool
    /// How long a cached response may be served. Default 5 min.
    public var staleFor: Duration
    /// Largest body cached, in bytes. Default 64 KiB.
    public var maxCachedBodySize: Int
    /// Responses cached per route; the least recently stored is dropped.
    /// Default 1000.
    public var maxCachedResponses: Int

    public init(status: Int? = nil, body: String = "", contentType: String = "text/plain; charset=utf-8", serveStale: Bool = false, staleFor: Duration = .seconds(300), maxCachedBodySize: Int = 64 << 10, maxCachedResponses: Int = 1000) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.serveStale = serveStale
        self.staleFor = staleFor
        self.maxCachedBodySize = maxCachedBodySize
        self.maxCachedResponses = maxCachedResponses
    }

    private enum CodingKeys: String, CodingKey {
        case status, body, contentType, serveStale, staleFor, maxCachedBodySize, maxCachedResponses
    }

    public init(from decoder: any Decoder) throws {
        let defaults = FallbackConfiguration()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeIfPresent(Int.self, forKey: .status)
        try ConfigCheck.require(status.map { (200...599).contains($0) } ?? true, .status, in: container, "expected a status from 200 to 599")
        body = try container.decode(String.self, forKey: .body, default: "")
        contentType = try container.decode(String.self, forKey: .contentType, default: defaults.contentType)
        serveStale = try container.decode(Bool.self, forKey: .serveStale, default: false)
        try ConfigCheck.require(status != nil || serveStale, .status, in: container, "a fallback needs a status, serveStale: true, or both")
        staleFor = try container.decode(Duration.self, forKey: .staleFor, default: defaults.staleFor)
        maxCachedBodySize = try container.decode(Int.self, forKey: .maxCachedBodySize, default: defaults.maxCachedBodySize)
        try ConfigCheck.require(maxCachedBodySize >= 0, .maxCachedBodySize, in: container, "expected a number of bytes, 0 or more")
        maxCachedResponses = try container.decode(Int.self, forKey: .maxCachedResponses, default: defaults.maxCachedResponses)
        try ConfigCheck.require(maxCachedResponses >= 1, .maxCachedResponses, in: container, "expected at least 1")
    }
}
