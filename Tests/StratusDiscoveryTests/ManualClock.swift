import Synchronization

/// A clock that moves only when a test calls `advance(by:)`, so that tests
/// of time-based behaviour assert no wall-clock timing.
final class ManualClock: Clock {
    struct Instant: InstantProtocol {
        /// The time since the clock was created.
        var offset: Duration

        func advanced(by duration: Duration) -> Instant {
            Instant(offset: offset + duration)
        }

        func duration(to other: Instant) -> Duration {
            other.offset - offset
        }

        static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }
    }

    // Advanced by the test and read by the code under test, maybe on other threads.
    private let current = Mutex<Duration>(.zero)

    var now: Instant {
        Instant(offset: current.withLock { $0 })
    }

    var minimumResolution: Duration {
        .nanoseconds(1)
    }

    func advance(by duration: Duration) {
        current.withLock { $0 += duration }
    }

    /// Moves the clock to `deadline` at once instead of waiting.
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        current.withLock { $0 = max($0, deadline.offset) }
    }
}
