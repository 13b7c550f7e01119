import Glibc
import Synchronization
import StratusResilience

/// A clock that tests move by hand.
final class ManualClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000)

    var clock: ResilienceClock {
        ResilienceClock { [self] in nanoseconds.load(ordering: .relaxed) }
    }

    var now: UInt64 { nanoseconds.load(ordering: .relaxed) }

    func advance(nanoseconds delta: UInt64) {
        nanoseconds.add(delta, ordering: .relaxed)
    }

    /// Moves the clock to `time`; a time before now leaves it where it is.
    func advance(to time: UInt64) {
        nanoseconds.max(time, ordering: .relaxed)
    }
}

/// A CPU reading that tests set by hand.
final class CPUGauge: Sendable {
    private let value = Mutex<Double>(0)

    func set(_ usage: Double) { value.withLock { $0 = usage } }
    var read: @Sendable () -> Double { { [self] in value.withLock { $0 } } }
}

/// The highest value recorded, from any task.
final class PeakCounter: Sendable {
    private let peak = Atomic<Int>(0)

    func record(_ value: Int) {
        peak.max(value, ordering: .relaxed)
    }

    var value: Int { peak.load(ordering: .relaxed) }
}

/// A seeded xorshift64* generator (Vigna, "An experimental exploration of
/// Marsaglia's xorshift generators, scrambled", 2016), so that randomized
/// tests draw the same values on every run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// Draws an exponentially distributed value with mean `mean`, the time
    /// between arrivals of a Poisson process.
    mutating func exponential(mean: Double) -> Double {
        let unit = Double.random(in: Double.ulpOfOne..<1, using: &self)
        return -mean * log(unit)
    }
}
