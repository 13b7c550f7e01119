import StratusLog

/// A builder of one JSON object as UTF-8 bytes, with strings escaped by hand
/// as RFC 8259 section 7 requires. `"` and `\` get a backslash. Control
/// characters (U+0000 to U+001F) are written as `\n`, `\r`, `\t`, `\b`, `\f`
/// or `\u00XX`. Everything else, including non-ASCII text, is copied as UTF-8.
///
/// Numbers are written digit by digit into the buffer, because formatting
/// them through `description` allocates a string per number.
///
/// The bytes are kept in an `EncodingBuffer` instead of an array, because
/// appending byte by byte to an array checks the array's uniqueness on every
/// append.
struct JSONLineEncoder: ~Copyable {
    private var buffer: EncodingBuffer
    private var needsComma = false

    /// - Parameter capacity: the bytes reserved up front. A typical access
    ///   log line fits in the default, so its buffer is allocated once.
    init(capacity: Int = 512) {
        self.init(unopenedCapacity: capacity)
        append(UInt8(ascii: "{"))
    }

    private init(unopenedCapacity capacity: Int) {
        buffer = EncodingBuffer(capacity: capacity)
    }

    /// Closes the object, ends the line and passes the line to `body`, which
    /// must not keep the buffer.
    consuming func finish(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        append(UInt8(ascii: "}"))
        append(UInt8(ascii: "\n"))
        buffer.withUnsafeBytes(body)
    }

    /// Returns `key` as a quoted, escaped member name followed by `:`, for
    /// `appendKey(encoded:)`.
    static func encodedKey(_ key: String) -> [UInt8] {
        var encoder = JSONLineEncoder(unopenedCapacity: key.utf8.count + 3)
        encoder.appendString(key)
        encoder.append(UInt8(ascii: ":"))
        return encoder.buffer.bytes
    }

    mutating func append(_ byte: UInt8) {
        buffer.append(byte)
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(bytes)
    }

    private mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func appendMember(_ key: String, string value: String) {
        appendKey(key)
        appendString(value)
    }

    mutating func appendMember(_ key: String, value: Logger.MetadataValue) {
        appendKey(key)
        appendValue(value)
    }

    mutating func appendKey(_ key: String) {
        appendSeparator()
        appendString(key)
        append(UInt8(ascii: ":"))
    }

    /// Starts a member whose name `encodedKey(_:)` returned.
    mutating func appendKey(encoded key: [UInt8]) {
        appendSeparator()
        append(key)
    }

    /// Starts a member whose name `encodedKey(_:)` returned, from memory the
    /// caller owns.
    mutating func appendKey(encoded key: UnsafeBufferPointer<UInt8>) {
        appendSeparator()
        append(key)
    }

    private mutating func appendSeparator() {
        if needsComma {
            append(UInt8(ascii: ","))
        }
        needsComma = true
    }

    /// Appends `instant` as a quoted RFC 3339 string.
    mutating func appendTimestamp(_ instant: UTCTimestamp.Instant) {
        append(UInt8(ascii: "\""))
        UTCTimestamp.withFormatted(instant) { append($0) }
        append(UInt8(ascii: "\""))
    }

    /// Appends a trace id as a quoted string of 32 lowercase hex digits.
    mutating func appendHexString(_ high: UInt64, _ low: UInt64) {
        append(UInt8(ascii: "\""))
        appendHexDigits(high)
        appendHexDigits(low)
        append(UInt8(ascii: "\""))
    }

    /// Appends a span id as a quoted string of 16 lowercase hex digits.
    mutating func appendHexString(_ value: UInt64) {
        append(UInt8(ascii: "\""))
        appendHexDigits(value)
        append(UInt8(ascii: "\""))
    }

    private mutating func appendHexDigits(_ value: UInt64) {
        buffer.appendUninitialized(length: 16) { digits in
            writeHexDigits(value, into: digits, at: 0)
        }
    }

    mutating func appendInteger(_ value: Int) {
        appendDecimal(Int64(value))
    }

    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
        }
        appendDecimal(value.magnitude)
    }

    /// Appends the digits of `value`, with leading zeros up to `minimumDigits`.
    private mutating func appendDecimal(_ value: UInt64, minimumDigits: Int = 1) {
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20 && value >= limit {
            digits += 1
            limit &*= 10
        }
        digits = max(digits, minimumDigits)
        buffer.appendUninitialized(length: digits) { bytes in
            var remainder = value
            for index in bytes.indices.reversed() {
                bytes[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remainder % 10)
                remainder /= 10
            }
        }
    }

    /// Appends `microseconds / 1000` as a JSON number with the same digits as
    /// `Double.description` writes, without formatting a `Double`.
    ///
    /// The two agree while the value has at most three decimals and a
    /// `Double` resolves a thousandth, which is true far beyond the bound
    /// below (about 11.6 days). Larger values go through `Double.description`.
    mutating func appendMilliseconds(microseconds: UInt64) {
        guard microseconds < 1_000_000_000_000 else {
            appendText((Double(microseconds) / 1_000).description)
            return
        }
        appendDecimal(microseconds / 1_000)
        append(UInt8(ascii: "."))
        var fraction = microseconds % 1_000
        guard fraction != 0 else {
            append(UInt8(ascii: "0"))
            return
        }
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        appendDecimal(fraction, minimumDigits: digits)
    }

    /// Appends `text` as it is, unquoted.
    private mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
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
            append(UInt8(ascii: "{"))
            for (index, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                appendString(entry.key)
                append(UInt8(ascii: ":"))
                appendValue(entry.value)
            }
            append(UInt8(ascii: "}"))
        case .array(let elements):
            append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                appendValue(element)
            }
            append(UInt8(ascii: "]"))
        }
    }

    /// `Int` is tested first because status codes, sizes and counts are
    /// usually `Int`, and a cast to a concrete type costs less than the cast
    /// to `any BinaryInteger`.
    private mutating func appendConvertible(_ value: any CustomStringConvertible & Sendable) {
        switch value {
        case let integer as Int:
            appendInteger(integer)
        case let flag as Bool:
            appendText(flag ? "true" : "false")
        case let number as Double where number.isFinite:
            appendText(number.description)
        case let integer as any BinaryInteger:
            appendBinaryInteger(integer)
        case let number as Float where number.isFinite:
            appendText(number.description)
        default:
            appendString(value.description)
        }
    }

    private mutating func appendBinaryInteger(_ integer: some BinaryInteger) {
        if let value = Int64(exactly: integer) {
            appendDecimal(value)
        } else if let value = UInt64(exactly: integer) {
            appendDecimal(value)
        } else {
            appendText(integer.description)
        }
    }
}
