/// The identity of a span as W3C Trace Context carries it: trace id, span id,
/// flags and vendor state.
public struct SpanContext: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    /// W3C trace-flags; bit 0 is "sampled".
    public var traceFlags: UInt8
    /// The `tracestate` header value, passed on unchanged.
    public var traceState: String
    /// Whether the context came from another process.
    public var isRemote: Bool

    public init(traceID: TraceID, spanID: SpanID, traceFlags: UInt8 = 1, traceState: String = "", isRemote: Bool = false) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceFlags = traceFlags
        self.traceState = traceState
        self.isRemote = isRemote
    }

    /// The trace-flags bit that marks a span the caller may have recorded.
    public static let sampledFlag: UInt8 = 0x01

    public var isSampled: Bool { traceFlags & Self.sampledFlag != 0 }
}

/// A 16-byte trace id, written as 32 lowercase hex digits.
public struct TraceID: Sendable, Hashable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses 32 lowercase hex digits; nil for anything else, or for all
    /// zeros, which W3C Trace Context forbids.
    public init?(hex: some StringProtocol) {
        let digits = hex.utf8
        guard digits.count == 32,
              let high = parseHexDigits(digits.prefix(16)),
              let low = parseHexDigits(digits.dropFirst(16)),
              high != 0 || low != 0
        else { return nil }
        self.high = high
        self.low = low
    }

    /// Creates an id from `RandomIDGenerator`, never all zeros.
    public static func random() -> TraceID {
        var id = TraceID(high: RandomIDGenerator.next(), low: RandomIDGenerator.next())
        if id.high == 0 && id.low == 0 { id.low = 1 }
        return id
    }

    public var description: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            writeHexDigits(high, into: buffer, at: 0)
            writeHexDigits(low, into: buffer, at: 16)
            return 32
        }
    }
}

/// An 8-byte span id, written as 16 lowercase hex digits.
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    public init(value: UInt64) {
        self.value = value
    }

    /// Parses 16 lowercase hex digits; nil for anything else, or for all zeros.
    public init?(hex: some StringProtocol) {
        let digits = hex.utf8
        guard digits.count == 16, let value = parseHexDigits(digits), value != 0 else { return nil }
        self.value = value
    }

    /// Creates an id from `RandomIDGenerator`, never zero.
    public static func random() -> SpanID {
        let value = RandomIDGenerator.next()
        return SpanID(value: value == 0 ? 1 : value)
    }

    public var description: String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            writeHexDigits(value, into: buffer, at: 0)
            return 16
        }
    }
}

extension ServiceContext {
    /// The context of the active span, which log lines and outgoing requests carry.
    public var spanContext: SpanContext? {
        get { storedSpanContext }
        set { storedSpanContext = newValue }
    }
}

/// Returns the value of up to 16 lowercase hex digits, or nil when another
/// byte is among them. W3C Trace Context accepts lowercase hex only.
func parseHexDigits<Digits: Collection<UInt8>>(_ digits: Digits) -> UInt64? {
    var value: UInt64 = 0
    for byte in digits {
        let nibble: UInt8
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte &- UInt8(ascii: "a") &+ 10
        default: return nil
        }
        value = value << 4 | UInt64(nibble)
    }
    return value
}

/// Writes `value` as 16 lowercase hex digits into `buffer` from `offset`.
/// Log lines and OTLP/JSON write two ids per span this way.
func writeHexDigits(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
    precondition(offset >= 0 && offset + 16 <= buffer.count, "16 hex digits at \(offset) do not fit in \(buffer.count) bytes")
    let raw = UnsafeMutableRawPointer(buffer.baseAddress! + offset)
    raw.storeBytes(of: packedHexDigits(UInt32(truncatingIfNeeded: value >> 32)).bigEndian, as: UInt64.self)
    raw.storeBytes(of: packedHexDigits(UInt32(truncatingIfNeeded: value)).bigEndian, toByteOffset: 8, as: UInt64.self)
}

/// Returns the 8 lowercase hex digits of `value` as ASCII bytes, the first
/// digit in the most significant byte. Each nibble is first spread into a
/// byte of its own, then all eight bytes get `0` added at once, and the
/// bytes of nibbles from 10 up get the further distance from `9` to `a`.
private func packedHexDigits(_ value: UInt32) -> UInt64 {
    var nibbles = UInt64(value)
    nibbles = (nibbles | nibbles << 16) & 0x0000_FFFF_0000_FFFF
    nibbles = (nibbles | nibbles << 8) & 0x00FF_00FF_00FF_00FF
    nibbles = (nibbles | nibbles << 4) & 0x0F0F_0F0F_0F0F_0F0F
    // Adding 6 carries into bit 4 exactly for the nibbles from 10 to 15.
    let letters = ((nibbles &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
    return nibbles &+ 0x3030_3030_3030_3030 &+ letters &* UInt64(UInt8(ascii: "a") - UInt8(ascii: "9") - 1)
}

/// Returns the ASCII lowercase hex digit for a value from 0 to 15.
func lowercaseHexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
}
