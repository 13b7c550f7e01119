import CCrypto

/// A SHA-256 digest. Equality compares in constant time, so a digest of a
/// secret can be looked up without leaking how many bytes matched.
///
/// The 32 bytes are kept inline as four words, so a digest allocates nothing.
struct SHA256Digest: Hashable, Sendable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a SHA-256 digest has 32 bytes, not \(bytes.count)")
        withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: bytes) }
    }

    /// Hashes `data`, in place when its bytes are contiguous.
    init(of data: some Collection<UInt8>) {
        if data.withContiguousStorageIfAvailable({ computeDigest(of: $0) }) == nil {
            Array(data).withUnsafeBufferPointer { computeDigest(of: $0) }
        }
    }

    /// Stores the SHA-256 of `buffer` in `words`.
    private mutating func computeDigest(of buffer: UnsafeBufferPointer<UInt8>) {
        withUnsafeMutableBytes(of: &words) { stratus_sha256(buffer.baseAddress, buffer.count, $0.baseAddress) }
    }

    init(of text: String) {
        self.init(of: text.utf8)
    }

    /// The 32 bytes of the digest.
    var bytes: [UInt8] {
        withUnsafeBytes(of: words) { Array($0) }
    }

    /// Parses 64 hexadecimal digits, either case.
    init?(hex: some StringProtocol) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(bytes: bytes)
    }

    static func == (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        withUnsafeBytes(of: lhs.words) { left in
            withUnsafeBytes(of: rhs.words) { right in ConstantTime.equals(left, right) }
        }
    }

    /// Hashes the first eight bytes only: digests are uniformly distributed,
    /// and equality decides the rest.
    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
    }

    /// Lowercase hexadecimal.
    var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

private func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
}
