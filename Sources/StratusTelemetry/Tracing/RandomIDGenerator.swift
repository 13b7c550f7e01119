import Synchronization

/// The source of random trace and span ids: SplitMix64 over one atomic
/// counter, seeded once from `SystemRandomNumberGenerator`.
///
/// Every span needs an id, sampled or not, and the system generator makes
/// a `getrandom` system call for each value. `TraceIDRatioSampler` compares
/// the low 64 bits of a trace id, so those must be evenly spread. The
/// sampler tests check the sampled fraction over ids from this generator.
///
/// NOTE: the generator is not cryptographic. Anyone who reads one id can
/// compute the ids that follow it, which is acceptable only because ids
/// name traces and are not secrets.
///
/// Thread safety: `next()` may be called from any thread; each call takes
/// one relaxed atomic add.
enum RandomIDGenerator {
    /// The SplitMix64 increment, 2^64 divided by the golden ratio.
    private static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    private static let counter: Atomic<UInt64> = {
        var system = SystemRandomNumberGenerator()
        return Atomic(system.next())
    }()

    /// Returns 64 random bits.
    static func next() -> UInt64 {
        var value = counter.wrappingAdd(increment, ordering: .relaxed).newValue
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
