import Synchronization

/// A rate limit per key, such as a client address or an API key, with a
/// bounded table of keys.
///
/// Each key gets its own token bucket or sliding window. The table keeps at
/// most `maxKeys` keys and, when full, drops the least recently used key to
/// make room. A dropped key starts again with a full quota when it returns.
/// That loses nothing for a key idle longer than the time its quota takes to
/// refill (burst / rate, or two windows). It lets a key through early only
/// when more than `maxKeys` other keys arrived since its last request, so
/// size `maxKeys` above the number of callers active within that time.
///
/// Thread safety: `acquire` may be called from any thread. The table is
/// behind one `Mutex`. A decision allocates nothing for a known key, and
/// nothing for a new key once the table is full.
public final class KeyedRateLimiter: Sendable {
    public let limit: RateLimit
    public let maxKeys: Int
    public let mode: EnforcementMode
    /// The decisions over all keys.
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let storage: Storage

    private enum Storage: Sendable {
        case tokenBucket(KeyedStates<TokenBucketRule>)
        case slidingWindow(KeyedStates<SlidingWindowRule>)
    }

    /// - Parameter maxKeys: the most keys kept at once; at least 1.
    ///   Default 10,000.
    public init(_ limit: RateLimit, maxKeys: Int = 10_000, mode: EnforcementMode = .enforce, clock: ResilienceClock = .system) {
        self.limit = limit
        self.maxKeys = maxKeys
        self.mode = mode
        self.clock = clock
        switch limit {
        case .tokenBucket(let rate, let burst):
            storage = .tokenBucket(KeyedStates(rule: TokenBucketRule(rate: rate, burst: burst), maxKeys: maxKeys))
        case .slidingWindow(let limit, let window):
            storage = .slidingWindow(KeyedStates(rule: SlidingWindowRule(limit: limit, window: window), maxKeys: maxKeys))
        }
    }

    /// The keys in the table now, at most `maxKeys`.
    public var keyCount: Int {
        switch storage {
        case .tokenBucket(let states): states.count
        case .slidingWindow(let states): states.count
        }
    }

    /// Decides about one request of `key`.
    public func acquire(key: String) -> PolicyDecision {
        acquireWithQuota(key: key).decision
    }

    /// Decides about one request of `key` and returns the quota it leaves.
    func acquireWithQuota(key: String) -> RateLimitOutcome {
        let now = clock.now()
        var outcome: RateLimitOutcome
        switch storage {
        case .tokenBucket(let states): outcome = states.acquire(key: key, at: now)
        case .slidingWindow(let states): outcome = states.acquire(key: key, at: now)
        }
        outcome.decision = counters.apply(outcome.decision, mode: mode)
        return outcome
    }
}

/// The key table of one rule, behind its lock.
final class KeyedStates<Rule: RateLimitRule>: Sendable {
    private let rule: Rule
    private let table: Mutex<KeyTable<Rule.State>>

    init(rule: Rule, maxKeys: Int) {
        self.rule = rule
        table = Mutex(KeyTable(capacity: maxKeys))
    }

    var count: Int { table.withLock { $0.count } }

    @inline(__always)
    func acquire(key: String, at now: UInt64) -> RateLimitOutcome {
        table.withLock { table in
            table.withState(for: key, create: { rule.initialState(at: now) }) { state in
                rule.acquire(&state, at: now)
            }
        }
    }
}
