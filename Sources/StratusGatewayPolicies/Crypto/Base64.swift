/// Strict base64 (RFC 4648): the encodings of tokens (base64url, section 5,
/// without padding as JWS requires) and of Basic credentials (base64,
/// section 4, with padding).
///
/// Decoding rejects every character outside the alphabet (whitespace too),
/// a length that no encoding has, misplaced padding, and nonzero unused bits
/// in the last character. So each byte string has exactly one accepted
/// encoding, and a token cannot be altered without changing its bytes.
enum Base64 {
    enum Alphabet {
        /// `+` and `/`, padded with `=` to a multiple of four characters.
        case standard
        /// `-` and `_`, without padding.
        case url
    }

    static func decode(_ text: some StringProtocol, alphabet: Alphabet) -> [UInt8]? {
        var characters = Array(text.utf8)
        if alphabet == .standard {
            guard characters.count % 4 == 0 else { return nil }
            var padding = 0
            while padding < 2, characters.last == UInt8(ascii: "=") {
                characters.removeLast()
                padding += 1
            }
        }
        guard characters.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in characters {
            guard let value = sextet(character, alphabet) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // The bits left over must be zero (RFC 4648, section 3.5).
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }

    static func encode(_ bytes: some Collection<UInt8>, alphabet: Alphabet) -> String {
        let table = Array((alphabet == .url ? urlTable : standardTable).utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            accumulator = accumulator << 8 | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                output.append(table[Int(accumulator >> UInt32(bits) & 0x3f)])
            }
        }
        if bits > 0 {
            output.append(table[Int(accumulator << UInt32(6 - bits) & 0x3f)])
        }
        if alphabet == .standard {
            while output.count % 4 != 0 {
                output.append(UInt8(ascii: "="))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let standardTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    private static let urlTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    private static func sextet(_ character: UInt8, _ alphabet: Alphabet) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+") where alphabet == .standard: 62
        case UInt8(ascii: "/") where alphabet == .standard: 63
        case UInt8(ascii: "-") where alphabet == .url: 62
        case UInt8(ascii: "_") where alphabet == .url: 63
        default: nil
        }
    }
}
