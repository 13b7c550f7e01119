/// Writes JSON text into an `EncodingBuffer`, for encoders that build
/// documents by hand. The caller places commas and brackets; the writer
/// escapes strings and formats numbers.
struct JSONWriter: ~Copyable {
    private var buffer: EncodingBuffer

    init(reservingCapacity capacity: Int = 0) {
        buffer = EncodingBuffer(capacity: max(capacity, 64))
    }

    init(buffer: consuming EncodingBuffer) {
        self.buffer = buffer
    }

    /// Ends writing and returns the buffer with the text.
    consuming func finish() -> EncodingBuffer {
        buffer
    }

    /// A copy of the text written so far.
    var bytes: [UInt8] { buffer.bytes }

    /// Writes `text` unchanged.
    mutating func raw(_ text: StaticString) {
        buffer.append(text)
    }

    private mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
        buffer.append(source)
    }

    private mutating func append(_ byte: UInt8) {
        buffer.append(byte)
    }

    /// Writes `"key":`.
    mutating func key(_ key: StaticString) {
        append(UInt8(ascii: "\""))
        raw(key)
        raw("\":")
    }

    /// Writes `text` as a JSON string. Quotes, backslashes and control
    /// characters are escaped as RFC 8259, section 7 requires; other
    /// characters, including non-ASCII ones, are written as UTF-8.
    mutating func string(_ text: String) {
        append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Most values (paths, addresses, names) need no escaping, so
            // they are copied in one append after a scan.
            if utf8.contains(where: Self.needsEscaping) {
                appendEscaped(utf8)
            } else {
                append(utf8)
            }
        }
        append(UInt8(ascii: "\""))
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw(#"\""#)
            case UInt8(ascii: "\\"): raw(#"\\"#)
            case 0x0A: raw(#"\n"#)
            case 0x0D: raw(#"\r"#)
            case 0x09: raw(#"\t"#)
            case 0x08: raw(#"\b"#)
            case 0x0C: raw(#"\f"#)
            case 0x00..<0x20, 0x7F:
                raw(#"\u00"#)
                append(lowercaseHexDigit(byte >> 4))
                append(lowercaseHexDigit(byte & 0x0F))
            default: append(byte)
            }
        }
    }

    /// Writes `value` as a JSON string of 16 lowercase hex digits, the OTLP
    /// form of a span id or of half a trace id.
    mutating func quotedHex(_ value: UInt64) {
        append(UInt8(ascii: "\""))
        appendHex(value)
        append(UInt8(ascii: "\""))
    }

    /// Writes a trace id as a JSON string of 32 lowercase hex digits.
    mutating func quotedHex(_ id: TraceID) {
        append(UInt8(ascii: "\""))
        appendHex(id.high)
        appendHex(id.low)
        append(UInt8(ascii: "\""))
    }

    private mutating func appendHex(_ value: UInt64) {
        buffer.appendUninitialized(length: 16) { digits in
            writeHexDigits(value, into: digits, at: 0)
        }
    }

    /// Writes an integer as a JSON string, as the protobuf JSON mapping
    /// requires for 64-bit integers (JavaScript numbers lose precision beyond 2^53).
    mutating func quotedInteger(_ value: some BinaryInteger) {
        append(UInt8(ascii: "\""))
        integer(value)
        append(UInt8(ascii: "\""))
    }

    /// Writes the decimal digits of `value` straight into the buffer, because
    /// `String(value)` would allocate for each of a span's timestamps.
    mutating func integer(_ value: some BinaryInteger) {
        if value < 0 {
            append(UInt8(ascii: "-"))
        }
        appendDecimal(UInt64(value.magnitude))
    }

    private mutating func appendDecimal(_ value: UInt64) {
        // UInt64.max has 20 decimal digits.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var remaining = value
            var start = buffer.endIndex
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0
            append(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
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
            buffer.append(utf8: value.description)
        }
    }

    mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }
}
