import Glibc
import StratusNet

/// Nanoseconds on a monotonic clock, the time base of every limiter and
/// breaker. Tests pass a clock they move by hand, so they never sleep.
public struct ResilienceClock: Sendable {
    private enum Source {
        case monotonic
        case coarse
        case custom(@Sendable () -> UInt64)
    }

    private let source: Source

    /// A clock that reads `read`, such as a clock a test moves by hand.
    public init(_ read: @escaping @Sendable () -> UInt64) {
        source = .custom(read)
    }

    private init(source: Source) {
        self.source = source
    }

    /// CLOCK_MONOTONIC, read directly rather than through a closure,
    /// because every policy decision reads the clock. About 23 ns a reading
    /// on the machine of BENCHMARKS.md.
    public static let system = ResilienceClock(source: .monotonic)

    /// CLOCK_MONOTONIC_COARSE: the time of the latest kernel tick, so its
    /// resolution is 1 to 4 ms (1 / CONFIG_HZ), for about 6 ns a reading on
    /// the machine of BENCHMARKS.md. For policies whose time scale is
    /// seconds, such as breakers and adaptive throttling. Not for rate
    /// limiters: a token bucket whose burst is below rate × resolution
    /// would refill one burst per tick and admit less than its rate.
    public static let coarse = ResilienceClock(source: .coarse)

    @inline(__always)
    public func now() -> UInt64 {
        switch source {
        case .monotonic:
            return MonotonicClock.now()
        case .coarse:
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
            return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
        case .custom(let read):
            return read()
        }
    }
}
