import StratusResilience
import Synchronization

/// Lets one log event of a kind through per interval and counts the ones
/// it held back, so a failing dependency logs once a second, not once per
/// request.
final class LogThrottle: Sendable {
    private struct State {
        var lastLogged: UInt64?
        var suppressed = 0
    }

    private let interval: UInt64
    private let clock: ResilienceClock
    private let state = Mutex(State())

    init(interval: Duration = .seconds(1), clock: ResilienceClock) {
        self.interval = interval.wholeNanoseconds
        self.clock = clock
    }

    /// Returns the number of events held back since the last one let
    /// through, or nil when this event must be held back too.
    func admit() -> Int? {
        let now = clock.now()
        return state.withLock { state in
            if let last = state.lastLogged, now &- last < interval {
                state.suppressed += 1
                return nil
            }
            defer { state.suppressed = 0 }
            state.lastLogged = now
            return state.suppressed
        }
    }
}
