/// Writes JSON text into a byte buffer, for encoders that build documents by
/// hand. The caller places commas and brackets; the writer escapes strings
/// and formats numbers.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Writes `"key":`.
    mutating func key(_ key: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(key)
        bytes.append(contentsOf: "\":".utf8)
    }

    /// Writes `text` as a JSON string. Quotes, backslashes and control
    /// characters are escaped as RFC 8259, section 7 requires; other
    /// characters, including non-ASCII ones, are written as UTF-8.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20, 0x7F:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0x0F))
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes an integer as a JSON string, as the protobuf JSON mapping
    /// requires for 64-bit integers (JavaScript numbers lose precision beyond 2^53).
    mutating func quotedInteger(_ value: some BinaryInteger) {
        bytes.append(UInt8(ascii: "\""))
        raw(String(value))
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func integer(_ value: some BinaryInteger) {
        raw(String(value))
    }

    /// Writes a double as a JSON number, or as the strings `"NaN"`,
    /// `"Infinity"` and `"-Infinity"` that the protobuf JSON mapping uses
    /// for values JSON cannot represent.
    mutating func double(_ value: Double) {
        if value.isNaN {
            raw(#""NaN""#)
        } else if value.isInfinite {
            raw(value < 0 ? #""-Infinity""# : #""Infinity""#)
        } else {
            raw(value.description)
        }
    }

    mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
