import StratusNet
import Synchronization

/// Admits at most `limit` requests per `window`, counted over a window that
/// slides with time.
///
/// It keeps two counts, the current fixed window and the one before, and
/// weighs the earlier count by the part of it still inside the sliding
/// window, as Cloudflare's rate limiter does. The estimate assumes the
/// earlier window's requests were spread evenly, so bursts at a window's
/// end can exceed the limit briefly by that error.
///
/// Thread safety: `acquire` may be called from any thread; the counts are
/// behind a `Mutex`, and a decision takes no allocation.
public final class SlidingWindowLimiter: Sendable {
    private struct Windows {
        var start: UInt64
        var current: Int
        var previous: Int
    }

    public let limit: Int
    public let window: Duration
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let windowNanoseconds: UInt64
    private let windows: Mutex<Windows>

    /// - Parameters:
    ///   - limit: requests per window; at least 1.
    ///   - window: the window's length; at least 1 ms.
    public init(limit: Int, window: Duration, mode: EnforcementMode = .enforce, clock: ResilienceClock = .system) {
        precondition(limit >= 1, "invalid sliding window limit \(limit): expected at least 1")
        let nanoseconds = window.nanoseconds
        precondition(nanoseconds >= 1_000_000, "invalid sliding window \(window): expected at least 1 ms")
        self.limit = limit
        self.window = window
        self.mode = mode
        self.clock = clock
        windowNanoseconds = nanoseconds
        windows = Mutex(Windows(start: clock.now(), current: 0, previous: 0))
    }

    public func acquire() -> PolicyDecision {
        let now = clock.now()
        let decision = windows.withLock { windows -> PolicyDecision in
            advance(&windows, to: now)
            let elapsed = now - windows.start
            let previousWeight = Double(windowNanoseconds - elapsed) / Double(windowNanoseconds)
            let estimate = Double(windows.previous) * previousWeight + Double(windows.current)
            if estimate + 1 <= Double(limit) {
                windows.current += 1
                return .admitted
            }
            return .rejected(retryAfter: .nanoseconds(Int64(windowNanoseconds - elapsed)))
        }
        return counters.apply(decision, mode: mode)
    }

    /// Moves the windows forward so that `now` falls in the current one.
    @inline(__always)
    private func advance(_ windows: inout Windows, to now: UInt64) {
        guard now >= windows.start + windowNanoseconds else { return }
        let passed = (now - windows.start) / windowNanoseconds
        windows.previous = passed == 1 ? windows.current : 0
        windows.current = 0
        windows.start += passed * windowNanoseconds
    }
}
