import StratusNet

/// Decides when a repeated warning is logged: the first time, then at most
/// once per interval, with the number of repeats that were not logged.
struct LogRateLimiter: Sendable {
    let intervalNanoseconds: UInt64
    private var lastLogged: UInt64?
    private var suppressed = 0

    init(interval: Duration) {
        intervalNanoseconds = interval.nanoseconds
    }

    /// Records one occurrence at `now` (monotonic nanoseconds). Returns the
    /// number of occurrences suppressed since the last logged one when this
    /// one should be logged, or nil when it should be suppressed.
    mutating func record(now: UInt64) -> Int? {
        if let lastLogged, now &- lastLogged < intervalNanoseconds {
            suppressed += 1
            return nil
        }
        lastLogged = now
        defer { suppressed = 0 }
        return suppressed
    }
}
