import CCrypt
import Glibc

/// A password hash in the crypt(3) format of libxcrypt (Debian's libcrypt1,
/// 4.4), verified with crypt_r(3).
///
/// Accepted methods, by prefix: yescrypt (`$y$`, Debian's default for
/// system passwords), sha512-crypt (`$6$`) and bcrypt (`$2b$`, `$2y$`,
/// `$2a$`). Older methods (DES, MD5, SHA-256-crypt) are rejected as too
/// cheap to brute-force. Generate a hash with `mkpasswd -m yescrypt`,
/// `openssl passwd -6`, or `PasswordHash.make(password:method:)`.
///
/// bcrypt reads at most 72 bytes of a password; later bytes do not count.
public struct PasswordHash: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case yescrypt
        case sha512crypt
        case bcrypt

        /// The prefix crypt_gensalt(3) takes for new hashes.
        var prefix: String {
            switch self {
            case .yescrypt: "$y$"
            case .sha512crypt: "$6$"
            case .bcrypt: "$2b$"
            }
        }
    }

    /// The hash as crypt(3) writes it, such as `$y$j9T$...`.
    public let encoded: String
    public let method: Method

    /// The maximum password length in bytes that crypt(3) accepts
    /// (CRYPT_MAX_PASSPHRASE_SIZE).
    static let maxPasswordLength = 512

    /// Checks that `encoded` is a hash of an accepted method that crypt_r
    /// can use, returning a reason when it is not.
    public init(_ encoded: String) throws(InvalidHash) {
        guard let method = Self.method(of: encoded) else {
            throw InvalidHash(reason: "a crypt(3) hash starting with $y$ (yescrypt), $6$ (sha512-crypt) or $2b$ (bcrypt)")
        }
        // crypt_r returns a string starting with "*" for a malformed
        // setting. A complete hash gives an output of its own length with
        // the same setting, which is the text up to the last "$". A bare
        // setting such as "$6$" gives a longer output.
        guard let output = Self.crypt("", setting: encoded), !output.hasPrefix("*"),
            output.utf8.count == encoded.utf8.count, Self.setting(of: output) == Self.setting(of: encoded)
        else {
            throw InvalidHash(reason: "a complete \(method.rawValue) hash; crypt(3) rejects this one as malformed")
        }
        self.encoded = encoded
        self.method = method
    }

    /// A hash that `init` rejected, with what was expected.
    public struct InvalidHash: Error, Sendable, Hashable {
        public let reason: String
    }

    /// Hashes `password` with a new random salt, for configuration files
    /// and tests.
    ///
    /// - Parameter cost: the method's cost, 0 for libxcrypt's default.
    public static func make(password: String, method: Method = .yescrypt, cost: Int = 0) -> PasswordHash? {
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        // A nil random buffer makes libxcrypt read the operating system's
        // random source itself.
        guard crypt_gensalt_rn(method.prefix, UInt(cost), nil, 0, &setting, Int32(setting.count)) != nil else { return nil }
        let settingText = String(decoding: setting.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let encoded = crypt(password, setting: settingText), !encoded.hasPrefix("*") else { return nil }
        return try? PasswordHash(encoded)
    }

    /// Returns whether `password` hashes to this hash, comparing in
    /// constant time. Takes as long as one hash of the method (tens of
    /// milliseconds for the defaults), so call it off the event loops.
    func verify(_ password: String) -> Bool {
        guard !password.utf8.contains(0), password.utf8.count <= Self.maxPasswordLength else { return false }
        guard let output = Self.crypt(password, setting: encoded), !output.hasPrefix("*") else { return false }
        return ConstantTime.equals(Array(output.utf8), Array(encoded.utf8))
    }

    private static func setting(of hash: String) -> Substring {
        hash[..<(hash.lastIndex(of: "$") ?? hash.startIndex)]
    }

    private static func method(of encoded: String) -> Method? {
        if encoded.hasPrefix("$y$") { return .yescrypt }
        if encoded.hasPrefix("$6$") { return .sha512crypt }
        if encoded.hasPrefix("$2b$") || encoded.hasPrefix("$2y$") || encoded.hasPrefix("$2a$") { return .bcrypt }
        return nil
    }

    /// Runs crypt_r(3) with its 32 KiB work area on the heap.
    private static func crypt(_ password: String, setting: String) -> String? {
        guard let raw = calloc(1, MemoryLayout<crypt_data>.size) else { return nil }
        defer {
            // The work area contains intermediate state derived from the password.
            memset(raw, 0, MemoryLayout<crypt_data>.size)
            free(raw)
        }
        let data = raw.bindMemory(to: crypt_data.self, capacity: 1)
        guard let output = crypt_r(password, setting, data) else { return nil }
        return String(cString: output)
    }
}
