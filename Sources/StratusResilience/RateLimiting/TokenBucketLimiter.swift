import Synchronization

/// A token bucket: tokens refill at `rate` per second up to `burst`, and
/// each admitted request takes one. Over any interval of length t it admits
/// at most rate × t + burst requests.
///
/// Thread safety: `acquire` may be called from any thread; the bucket is
/// behind a `Mutex`, and a decision takes no allocation.
public final class TokenBucketLimiter: Sendable {
    private struct Bucket {
        /// Tokens in units of 1 / 1,000,000,000, so that refills at any
        /// rate stay exact in integer arithmetic.
        var nanoTokens: Int64
        var updated: UInt64
    }

    public let rate: Double
    public let burst: Int
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    /// Nanoseconds of refill time per token.
    private let nanosecondsPerToken: Double
    private let capacity: Int64
    private let bucket: Mutex<Bucket>

    /// - Parameters:
    ///   - rate: tokens added per second; must be positive.
    ///   - burst: the bucket's size, the most requests admitted at once; at
    ///     least 1. The bucket starts full.
    public init(rate: Double, burst: Int, mode: EnforcementMode = .enforce, clock: ResilienceClock = .system) {
        precondition(rate > 0 && rate.isFinite, "invalid token bucket rate \(rate): expected a positive number of tokens per second")
        precondition(burst >= 1, "invalid token bucket burst \(burst): expected at least 1")
        self.rate = rate
        self.burst = burst
        self.mode = mode
        self.clock = clock
        nanosecondsPerToken = 1e9 / rate
        capacity = Int64(burst) * 1_000_000_000
        bucket = Mutex(Bucket(nanoTokens: capacity, updated: clock.now()))
    }

    /// Takes a token when one is there; otherwise rejects with the time
    /// until the next token.
    public func acquire() -> PolicyDecision {
        let now = clock.now()
        let decision = bucket.withLock { bucket -> PolicyDecision in
            refill(&bucket, now: now)
            if bucket.nanoTokens >= 1_000_000_000 {
                bucket.nanoTokens -= 1_000_000_000
                return .admitted
            }
            let missing = Double(1_000_000_000 - bucket.nanoTokens) / 1e9
            return .rejected(retryAfter: .nanoseconds(Int64((missing * nanosecondsPerToken).rounded(.up))))
        }
        return counters.apply(decision, mode: mode)
    }

    @inline(__always)
    private func refill(_ bucket: inout Bucket, now: UInt64) {
        guard now > bucket.updated else { return }
        let elapsed = Double(now - bucket.updated)
        let added = Int64(elapsed * rate)
        guard added > 0 else { return }
        bucket.nanoTokens = min(capacity, bucket.nanoTokens + added)
        bucket.updated = now
    }
}
