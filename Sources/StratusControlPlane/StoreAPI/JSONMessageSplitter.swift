/// Splits a byte stream into top-level JSON values, for the streamed
/// requests of `/v3/watch` and `/v3/lease/keepalive`, whose body is a
/// sequence of JSON objects. Like Go's `json.Decoder`, which etcd's gateway
/// reads them with, it accepts values with or without whitespace between.
///
/// It finds where a value ends by tracking nesting and string literals, and
/// leaves checking the value to the JSON parser.
struct JSONMessageSplitter {
    private var buffer: [UInt8] = []
    /// The start of the current value in `buffer`, or of the whitespace before it.
    private var start = 0
    /// The next byte to scan.
    private var position = 0
    private var depth = 0
    private var started = false
    private var inString = false
    private var escaped = false

    /// The bytes received but not yet returned.
    var bufferedCount: Int { buffer.count - start }

    mutating func append(_ bytes: [UInt8]) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            position -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next complete value, or nil until more bytes arrive.
    mutating func nextValue() -> ArraySlice<UInt8>? {
        while position < buffer.count {
            let byte = buffer[position]
            position += 1
            if scan(byte) {
                return takeValue(through: position)
            }
        }
        return nil
    }

    /// Returns what remains once the stream ended: a last value that needs
    /// no closing bracket (a number, say), or an incomplete one for the
    /// parser to reject. Nil when only whitespace remains.
    mutating func finish() -> ArraySlice<UInt8>? {
        guard started else { return nil }
        return takeValue(through: buffer.count)
    }

    /// Advances the state by one byte; returns true when the byte ends a value.
    private mutating func scan(_ byte: UInt8) -> Bool {
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
                return depth == 0
            }
            return false
        }
        let isWhitespace = byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
        guard started else {
            if isWhitespace {
                start = position
                return false
            }
            started = true
            return scanStructural(byte)
        }
        if depth == 0 {
            // A bare number, true, false or null ends at whitespace.
            return isWhitespace
        }
        return scanStructural(byte)
    }

    private mutating func scanStructural(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            return depth <= 0
        default:
            break
        }
        return false
    }

    private mutating func takeValue(through end: Int) -> ArraySlice<UInt8> {
        let value = buffer[start..<end]
        start = end
        position = end
        depth = 0
        started = false
        inString = false
        escaped = false
        return value
    }
}
