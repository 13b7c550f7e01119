import Synchronization

/// A token bucket: tokens refill at `rate` per second up to `burst`, and
/// each admitted request takes one. Over any interval of length t it admits
/// at most rate × t + burst requests.
///
/// Thread safety: `acquire` may be called from any thread and allocates
/// nothing. The bucket is one double-word atomic: an admission replaces it
/// with a compare-and-exchange, retried when another thread changed it
/// first, and a rejection stores nothing.
public final class TokenBucketLimiter: Sendable {
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let rule: TokenBucketRule
    private let bucket: Atomic<WordPair>

    /// - Parameters:
    ///   - rate: tokens added per second; must be positive.
    ///   - burst: the bucket's size, the most requests admitted at once; at
    ///     least 1. The bucket starts full.
    public init(rate: Double, burst: Int, mode: EnforcementMode = .enforce, clock: ResilienceClock = .system) {
        rule = TokenBucketRule(rate: rate, burst: burst)
        self.mode = mode
        self.clock = clock
        bucket = Atomic(rule.initialState(at: clock.now()).wordPair)
    }

    public var rate: Double { rule.rate }
    public var burst: Int { rule.burst }

    /// Takes a token when one is there; otherwise rejects with the time
    /// until the next token.
    public func acquire() -> PolicyDecision {
        let decision = rule.acquire(bucket, at: clock.now())
        return counters.apply(decision, mode: mode)
    }
}
