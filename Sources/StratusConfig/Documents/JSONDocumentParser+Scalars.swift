/// Strings and numbers, RFC 8259 sections 6 and 7.
extension JSONDocumentParser {
    mutating func parseString() throws(ContentProblem) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = index
        while true {
            guard index < bytes.count else {
                throw problem("unterminated string; close it with \"")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                scalars.append(contentsOf: try decodeRun(runStart..<index))
                index += 1
                return String(scalars)
            }
            if byte < 0x20 {
                throw problem("control character 0x\(String(byte, radix: 16)) in a string; write it as an escape such as \\n")
            }
            if byte == UInt8(ascii: "\\") {
                scalars.append(contentsOf: try decodeRun(runStart..<index))
                scalars.append(try parseEscape())
                runStart = index
                continue
            }
            index += 1
        }
    }

    private func decodeRun(_ range: Range<Int>) throws(ContentProblem) -> String.UnicodeScalarView {
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw problem("invalid UTF-8 in a string", at: range.lowerBound)
        }
        return text.unicodeScalars
    }

    private mutating func parseEscape() throws(ContentProblem) -> Unicode.Scalar {
        index += 1
        guard index < bytes.count else {
            throw problem("unterminated escape at the end of the text")
        }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): return try parseUnicodeEscape()
        default:
            throw problem("invalid escape \\\(Character(Unicode.Scalar(byte))); JSON allows \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t and \\uXXXX", at: index - 2)
        }
    }

    private mutating func parseUnicodeEscape() throws(ContentProblem) -> Unicode.Scalar {
        let start = index - 2
        let high = try readHex4(escapeStart: start)
        if (0xD800...0xDBFF).contains(high) {
            guard bytes[index...].starts(with: Array("\\u".utf8)) else {
                throw problem("the escape \\u\(String(high, radix: 16)) is a high surrogate without the low surrogate after it", at: start)
            }
            index += 2
            let low = try readHex4(escapeStart: start)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw problem("the escape \\u\(String(high, radix: 16)) is followed by \\u\(String(low, radix: 16)), which is not a low surrogate", at: start)
            }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(high) else {
            throw problem("the escape \\u\(String(high, radix: 16)) is a lone low surrogate", at: start)
        }
        return scalar
    }

    private mutating func readHex4(escapeStart: Int) throws(ContentProblem) -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
              bytes[index..<index + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }) else {
            throw problem("invalid \\u escape; expected four hexadecimal digits", at: escapeStart)
        }
        index += 4
        return value
    }

    mutating func parseNumber() throws(ContentProblem) -> DocumentValue.Content {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw problem("expected a digit in the number, found \(describeCurrent())")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count && isDigit(bytes[index]) {
                throw problem("a number has a leading zero; JSON does not allow it", at: start)
            }
        } else {
            skipDigits()
        }
        var isInteger = true
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try requireDigits("after the decimal point")
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            isInteger = false
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            try requireDigits("in the exponent")
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int64(text) {
            return .integer(value)
        }
        guard let value = Double(text), value.isFinite else {
            throw problem("the number \(text) is out of range", at: start)
        }
        return .number(value)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private mutating func skipDigits() {
        while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }

    private mutating func requireDigits(_ place: String) throws(ContentProblem) {
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw problem("expected a digit \(place), found \(describeCurrent())")
        }
        skipDigits()
    }
}
