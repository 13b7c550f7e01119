import Synchronization

/// SplitMix64 (Steele, Lea and Flood, "Fast Splittable Pseudorandom Number
/// Generators", OOPSLA 2014) on an atomic state: each value is one atomic
/// add and a few multiplications, from any thread without a lock. Policies
/// draw from it instead of the system generator, which reads the kernel on
/// every value. Not for secrets.
final class AtomicSplitMix64: Sendable {
    private static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15
    private let state: Atomic<UInt64>

    /// A generator seeded from the system generator.
    init() {
        var system = SystemRandomNumberGenerator()
        state = Atomic(system.next())
    }

    func next() -> UInt64 {
        var mixed = state.wrappingAdd(Self.increment, ordering: .relaxed).newValue
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// Returns a uniform value in [0, 1) from the top 53 bits.
    func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
