import StratusLog

/// A builder of one JSON object as UTF-8 bytes, with strings escaped by hand
/// as RFC 8259 section 7 requires. `"` and `\` get a backslash. Control
/// characters (U+0000 to U+001F) are written as `\n`, `\r`, `\t`, `\b`, `\f`
/// or `\u00XX`. Everything else, including non-ASCII text, is copied as UTF-8.
struct JSONLineEncoder {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// Closes the object and ends the line.
    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    mutating func appendMember(_ key: String, string value: String) {
        appendKey(key)
        appendString(value)
    }

    mutating func appendMember(_ key: String, value: Logger.MetadataValue) {
        appendKey(key)
        appendValue(value)
    }

    private mutating func appendKey(_ key: String) {
        if needsComma {
            bytes.append(UInt8(ascii: ","))
        }
        needsComma = true
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes integers, finite floating-point numbers and booleans given as
    /// `.stringConvertible` as JSON numbers and booleans, and any other value
    /// as a string of its description.
    private mutating func appendValue(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let text):
            appendString(text)
        case .stringConvertible(let convertible):
            appendConvertible(convertible)
        case .dictionary(let entries):
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(key)
                bytes.append(UInt8(ascii: ":"))
                appendValue(entries[key]!)
            }
            bytes.append(UInt8(ascii: "}"))
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendValue(element)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }

    private mutating func appendConvertible(_ value: any CustomStringConvertible & Sendable) {
        switch value {
        case let flag as Bool:
            bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case let integer as any BinaryInteger:
            bytes.append(contentsOf: integer.description.utf8)
        case let number as Double where number.isFinite:
            bytes.append(contentsOf: number.description.utf8)
        case let number as Float where number.isFinite:
            bytes.append(contentsOf: number.description.utf8)
        default:
            appendString(value.description)
        }
    }

    /// Appends `text` as a quoted, escaped JSON string. Text without bytes to
    /// escape, the common case, is copied in one step.
    mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            if utf8.contains(where: needsEscape) {
                for byte in utf8 {
                    appendEscaped(byte)
                }
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        case 0x00..<0x20:
            bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigit(byte >> 4), hexDigit(byte & 0x0F)])
        default: bytes.append(byte)
        }
    }
}

private func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? 0x30 + value : 0x61 + value - 10
}

private func needsEscape(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
}
