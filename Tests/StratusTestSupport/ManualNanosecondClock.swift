import StratusNet
import Synchronization

/// A monotonic clock in nanoseconds that tests move by hand, for the
/// embedded store's lease deadlines and other code that takes a clock
/// closure.
package final class ManualNanosecondClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000)

    package init() {}

    package func now() -> UInt64 { nanoseconds.load(ordering: .relaxed) }

    package func advance(by duration: Duration) {
        nanoseconds.add(duration.nanoseconds, ordering: .relaxed)
    }

    package func advance(seconds: UInt64) {
        advance(by: .seconds(Int64(seconds)))
    }
}
