import StratusNet

/// Nanoseconds on a monotonic clock, the time base of every limiter and
/// breaker. Tests pass a clock they move by hand, so they never sleep.
public struct ResilienceClock: Sendable {
    /// nil for `.system`, which reads CLOCK_MONOTONIC directly instead of
    /// through a closure, because every policy decision reads the clock.
    private let read: (@Sendable () -> UInt64)?

    public init(_ read: @escaping @Sendable () -> UInt64) {
        self.read = read
    }

    private init() {
        read = nil
    }

    /// CLOCK_MONOTONIC.
    public static let system = ResilienceClock()

    @inline(__always)
    public func now() -> UInt64 {
        guard let read else { return MonotonicClock.now() }
        return read()
    }
}
