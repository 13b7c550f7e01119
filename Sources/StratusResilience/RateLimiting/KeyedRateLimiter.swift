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
/// Thread safety: `acquire` may be called from any thread. A table of
/// fewer than 4,096 keys is behind one `Mutex`. A larger one is split into
/// 16 shards by key hash, each with its own lock and a 16th of `maxKeys`,
/// so that threads contend only when their keys share a shard. The key
/// dropped is then the least recently used of its shard. A decision
/// allocates nothing for a known key, and nothing for a new key once its
/// table is full.
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

/// The key tables of one rule, each behind its lock.
final class KeyedStates<Rule: RateLimitRule>: Sendable {
    private static var shardedFrom: Int { 4_096 }
    private static var shardCount: Int { 16 }
    /// The shift that leaves the top log2(shardCount) bits of a hash.
    private static var shardShift: Int { UInt.bitWidth - 4 }

    private let rule: Rule
    private let shards: [Shard]

    private final class Shard: Sendable {
        let table: Mutex<KeyTable<Rule.State>>

        init(capacity: Int) {
            table = Mutex(KeyTable(capacity: capacity))
        }
    }

    init(rule: Rule, maxKeys: Int) {
        self.rule = rule
        let count = maxKeys >= Self.shardedFrom ? Self.shardCount : 1
        shards = (0..<count).map { _ in Shard(capacity: maxKeys / count) }
    }

    var count: Int { shards.reduce(0) { $0 + $1.table.withLock { $0.count } } }

    @inline(__always)
    func acquire(key: String, at now: UInt64) -> RateLimitOutcome {
        let key = HashedKey(key)
        // The top bits pick the shard; the table's slots use the low ones.
        let shard = shards.count == 1 ? shards[0] : shards[Int(UInt(bitPattern: key.hash) >> Self.shardShift)]
        return shard.table.withLock { table in
            table.withState(for: key, create: { rule.initialState(at: now) }) { state in
                rule.acquire(&state, at: now)
            }
        }
    }
}
