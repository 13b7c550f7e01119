import Glibc

/// A point in time as a tracer records it: nanoseconds since the Unix epoch.
/// Shaped like swift-distributed-tracing's `TracerInstant`.
public protocol TracerInstant: Sendable, Comparable {
    var nanosecondsSinceEpoch: UInt64 { get }
}

extension TracerInstant {
    public var millisecondsSinceEpoch: UInt64 { nanosecondsSinceEpoch / 1_000_000 }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }
}

/// The wall clock that spans use unless a caller passes its own instant.
///
/// Span timestamps are wall-clock times because trace backends line up spans
/// from different machines by them. Durations inside one process are still
/// computed from these values, so a clock step during a span distorts its
/// duration.
public struct DefaultTracerClock: Sendable {
    public init() {}

    public struct Instant: TracerInstant, Hashable {
        public var nanosecondsSinceEpoch: UInt64

        public init(nanosecondsSinceEpoch: UInt64) {
            self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
        }
    }

    /// The current time from CLOCK_REALTIME.
    public static var now: Instant {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Instant(nanosecondsSinceEpoch: UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec))
    }

    public var now: Instant { Self.now }
}
