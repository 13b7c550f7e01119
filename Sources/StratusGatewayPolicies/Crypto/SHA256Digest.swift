import CCrypto

/// A SHA-256 digest. Equality compares in constant time, so a digest of a
/// secret can be looked up without leaking how many bytes matched.
struct SHA256Digest: Hashable, Sendable, CustomStringConvertible {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a SHA-256 digest has 32 bytes, not \(bytes.count)")
        self.bytes = bytes
    }

    /// Hashes `data`, in place when its bytes are contiguous.
    init(of data: some Collection<UInt8>) {
        var output = [UInt8](repeating: 0, count: 32)
        let hashed: Void? = data.withContiguousStorageIfAvailable { buffer in
            _ = SHA256(buffer.baseAddress, buffer.count, &output)
        }
        if hashed == nil {
            let input = Array(data)
            input.withUnsafeBufferPointer { buffer in
                _ = SHA256(buffer.baseAddress, buffer.count, &output)
            }
        }
        bytes = output
    }

    init(of text: String) {
        self.init(of: text.utf8)
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
        self.bytes = bytes
    }

    static func == (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        ConstantTime.equals(lhs.bytes, rhs.bytes)
    }

    /// Hashes the first eight bytes only: digests are uniformly distributed,
    /// and equality decides the rest.
    func hash(into hasher: inout Hasher) {
        for byte in bytes.prefix(8) {
            hasher.combine(byte)
        }
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
