private import CCrypto

/// Random bytes and characters from libcrypto's cryptographic generator.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        let status = RAND_bytes(&bytes, Int32(count))
        precondition(status == 1, "RAND_bytes failed: libcrypto has no entropy source")
        return bytes
    }

    /// Returns `length` characters drawn uniformly from `alphabet`.
    ///
    /// Bytes at or above the largest multiple of the alphabet size are
    /// drawn again, so every character is equally likely (a plain
    /// `byte % size`, as upstream uses, favours the first characters).
    public static func string(length: Int, alphabet: [Character]) -> String {
        precondition(!alphabet.isEmpty && alphabet.count <= 256, "the alphabet must have 1 to 256 characters")
        let limit = 256 - 256 % alphabet.count
        var result = ""
        while result.count < length {
            for byte in bytes(length) where Int(byte) < limit && result.count < length {
                result.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return result
    }
}
