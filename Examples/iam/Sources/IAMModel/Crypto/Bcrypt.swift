private import CCrypt
import Glibc

/// bcrypt password hashes through libxcrypt's `crypt_r`.
///
/// New hashes use the `$2b$` prefix; checking accepts `$2a$`, `$2b$` and
/// `$2y$`, which libxcrypt treats alike for passwords without 8-bit
/// characters (upstream writes `$2a$`). bcrypt reads at most the first 72
/// bytes of a password.
public enum Bcrypt {
    /// The cost factor upstream uses: 2^10 rounds.
    public static let defaultCost = 10

    /// Returns a bcrypt hash of `password` with a fresh random salt.
    public static func hash(_ password: String, cost: Int = defaultCost) -> String {
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let entropy = SecureRandom.bytes(16)
        let salt = entropy.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                crypt_gensalt_rn("$2b$", UInt(cost), characters.baseAddress, Int32(characters.count), &setting, Int32(setting.count))
            }
        }
        precondition(salt != nil, "crypt_gensalt_rn failed for bcrypt cost \(cost): errno \(errno)")
        let hashed = run(password, setting: String(decoding: setting.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        precondition(hashed != nil, "crypt_r failed to hash with a bcrypt setting it generated")
        return hashed!
    }

    /// Returns whether `password` matches the bcrypt `hash`. Any value that
    /// is not a bcrypt hash matches nothing.
    public static func verify(_ password: String, hash: String) -> Bool {
        guard ["$2a$", "$2b$", "$2y$"].contains(where: { hash.hasPrefix($0) }), let computed = run(password, setting: hash) else {
            return false
        }
        return constantTimeEquals(Array(computed.utf8), Array(hash.utf8))
    }

    /// Runs `crypt_r`, returning nil for libxcrypt's failure tokens, which
    /// start with `*`.
    private static func run(_ password: String, setting: String) -> String? {
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let result = crypt_r(password, setting, data) else { return nil }
        let text = String(cString: result)
        memset(data, 0, MemoryLayout<crypt_data>.size)
        return text.hasPrefix("*") ? nil : text
    }
}
