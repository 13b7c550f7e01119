import Glibc

/// Nanoseconds since the Unix epoch (CLOCK_REALTIME), the time base of JWT
/// claims and of the cluster rate limiter's windows, which replicas on
/// different machines must agree on. Tests pass a clock they move by hand.
public struct WallClock: Sendable {
    private let read: @Sendable () -> UInt64

    /// Creates a clock that reads `read`, in nanoseconds since the Unix epoch.
    public init(_ read: @escaping @Sendable () -> UInt64) {
        self.read = read
    }

    /// CLOCK_REALTIME.
    public static let system = WallClock {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Nanoseconds since the Unix epoch.
    public func now() -> UInt64 {
        read()
    }

    /// Seconds since the Unix epoch, the unit of JWT's NumericDate.
    public func seconds() -> Double {
        Double(read()) / 1e9
    }
}
