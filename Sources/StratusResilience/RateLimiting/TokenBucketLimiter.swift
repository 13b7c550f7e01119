import Synchronization

/// A token bucket: tokens refill at `rate` per second up to `burst`, and
/// each admitted request takes one. Over any interval of length t it admits
/// at most rate × t + burst requests.
///
/// Thread safety: `acquire` may be called from any thread; the bucket is
/// behind a `Mutex`, and a decision takes no allocation.
public final class TokenBucketLimiter: Sendable {
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let rule: TokenBucketRule
    private let bucket: Mutex<TokenBucketRule.State>

    /// - Parameters:
    ///   - rate: tokens added per second; must be positive.
    ///   - burst: the bucket's size, the most requests admitted at once; at
    ///     least 1. The bucket starts full.
    public init(rate: Double, burst: Int, mode: EnforcementMode = .enforce, clock: ResilienceClock = .system) {
        rule = TokenBucketRule(rate: rate, burst: burst)
        self.mode = mode
        self.clock = clock
        bucket = Mutex(rule.initialState(at: clock.now()))
    }

    public var rate: Double { rule.rate }
    public var burst: Int { rule.burst }

    /// Takes a token when one is there; otherwise rejects with the time
    /// until the next token.
    public func acquire() -> PolicyDecision {
        let now = clock.now()
        let decision = bucket.withLock { rule.acquire(&$0, at: now).decision }
        return counters.apply(decision, mode: mode)
    }
}
