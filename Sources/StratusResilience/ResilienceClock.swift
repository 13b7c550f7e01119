import StratusNet

/// Nanoseconds on a monotonic clock, the time base of every limiter and
/// breaker. Tests pass a clock they move by hand, so they never sleep.
public struct ResilienceClock: Sendable {
    private let read: @Sendable () -> UInt64

    public init(_ read: @escaping @Sendable () -> UInt64) {
        self.read = read
    }

    /// CLOCK_MONOTONIC.
    public static let system = ResilienceClock { MonotonicClock.now() }

    @inline(__always)
    public func now() -> UInt64 { read() }
}
