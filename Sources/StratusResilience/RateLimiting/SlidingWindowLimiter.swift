import Synchronization

/// Admits at most `limit` requests per `window`, counted over a window that
/// slides with time.
///
/// It keeps two counts, the current fixed window and the one before, and
/// weighs the earlier count by the part of it still inside the sliding
/// window, as Cloudflare's rate limiter does, rounded down to whole
/// requests. The estimate assumes the earlier window's requests were spread
/// evenly, so bursts at a window's end can exceed the limit briefly by that
/// error.
///
/// Thread safety: `acquire` may be called from any thread and allocates
/// nothing. The counts are one double-word atomic: an admission replaces
/// them with a compare-and-exchange, retried when another thread changed
/// them first, and a rejection stores nothing.
public final class SlidingWindowLimiter: Sendable {
    public let window: Duration
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let rule: SlidingWindowRule
    private let windows: Atomic<WordPair>

    /// - Parameters:
    ///   - limit: requests per window; at least 1 and at most 2³² − 1.
    ///   - window: the window's length; at least 1 ms.
    public init(limit: Int, window: Duration, mode: EnforcementMode = .enforce, clock: ResilienceClock = .system) {
        precondition(limit <= Int(UInt32.max), "invalid sliding window limit \(limit): expected at most \(UInt32.max)")
        rule = SlidingWindowRule(limit: limit, window: window)
        self.window = window
        self.mode = mode
        self.clock = clock
        windows = Atomic(rule.initialState(at: clock.now()).wordPair)
    }

    public var limit: Int { rule.limit }

    public func acquire() -> PolicyDecision {
        let decision = rule.acquire(windows, at: clock.now())
        return counters.apply(decision, mode: mode)
    }
}
