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
/// Thread safety: `acquire` may be called from any thread; the counts are
/// behind a `Mutex`, and a decision takes no allocation.
public final class SlidingWindowLimiter: Sendable {
    public let window: Duration
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let rule: SlidingWindowRule
    private let windows: Mutex<SlidingWindowRule.State>

    /// - Parameters:
    ///   - limit: requests per window; at least 1.
    ///   - window: the window's length; at least 1 ms.
    public init(limit: Int, window: Duration, mode: EnforcementMode = .enforce, clock: ResilienceClock = .system) {
        rule = SlidingWindowRule(limit: limit, window: window)
        self.window = window
        self.mode = mode
        self.clock = clock
        windows = Mutex(rule.initialState(at: clock.now()))
    }

    public var limit: Int { rule.limit }

    public func acquire() -> PolicyDecision {
        let now = clock.now()
        let decision = windows.withLock { rule.acquire(&$0, at: now).decision }
        return counters.apply(decision, mode: mode)
    }
}
