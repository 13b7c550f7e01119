/// A 64-bit hash of strings that is the same in every process and on every
/// platform, unlike `Hasher`, whose seed changes per process.
///
/// Consistent hashing needs it: every client must map a key to the same
/// instance. It is FNV-1a over the UTF-8 bytes, with the SplitMix64
/// finalizer on top because FNV-1a mixes its last bytes poorly.
/// Not for untrusted keys that must resist collision attacks.
enum StableHash {
    /// FNV-1a's offset basis and prime for 64 bits.
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Hashes the UTF-8 bytes of `string`, starting from `seed` so that
    /// different seeds give independent hashes of the same string.
    static func hash(_ string: String, seed: UInt64 = 0) -> UInt64 {
        var hash = offsetBasis ^ mix(seed)
        for byte in string.utf8 {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        return mix(hash)
    }

    /// The output function of the SplitMix64 generator.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
