/// A rate limit, the configuration of `KeyedRateLimiter` and the rate-limit
/// middleware.
public enum RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// `rate` requests per second with bursts of up to `burst`; see
    /// `TokenBucketLimiter`.
    case tokenBucket(rate: Double, burst: Int)
    /// `limit` requests per sliding `window`; see `SlidingWindowLimiter`.
    case slidingWindow(limit: Int, window: Duration)

    /// The quota a caller starts with: `burst` or `limit`.
    public var quota: Int {
        switch self {
        case .tokenBucket(_, let burst): burst
        case .slidingWindow(let limit, _): limit
        }
    }

    public var description: String {
        switch self {
        case .tokenBucket(let rate, let burst): "token bucket of \(rate)/s, burst \(burst)"
        case .slidingWindow(let limit, let window): "sliding window of \(limit) per \(window)"
        }
    }
}
