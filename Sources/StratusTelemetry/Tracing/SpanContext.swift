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

    /// Parses 32 hex digits; nil for anything else, or for all zeros, which
    /// W3C Trace Context forbids.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32,
              let high = UInt64(hex.prefix(16), radix: 16),
              let low = UInt64(hex.suffix(16), radix: 16),
              hex.utf8.allSatisfy({ isLowercaseHexDigit($0) }),
              high != 0 || low != 0
        else { return nil }
        self.high = high
        self.low = low
    }

    public static func random() -> TraceID {
        var generator = SystemRandomNumberGenerator()
        var id = TraceID(high: generator.next(), low: generator.next())
        if id.high == 0 && id.low == 0 { id.low = 1 }
        return id
    }

    public var description: String { hexDigits(high) + hexDigits(low) }
}

/// An 8-byte span id, written as 16 lowercase hex digits.
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    public init(value: UInt64) {
        self.value = value
    }

    /// Parses 16 hex digits; nil for anything else, or for all zeros.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 16,
              hex.utf8.allSatisfy({ isLowercaseHexDigit($0) }),
              let value = UInt64(hex, radix: 16), value != 0
        else { return nil }
        self.value = value
    }

    public static func random() -> SpanID {
        var generator = SystemRandomNumberGenerator()
        let value: UInt64 = generator.next()
        return SpanID(value: value == 0 ? 1 : value)
    }

    public var description: String { hexDigits(value) }
}

private enum SpanContextKey: ServiceContextKey {
    typealias Value = SpanContext
}

extension ServiceContext {
    /// The context of the active span, which log lines and outgoing requests carry.
    public var spanContext: SpanContext? {
        get { self[SpanContextKey.self] }
        set { self[SpanContextKey.self] = newValue }
    }
}

/// W3C Trace Context accepts lowercase hex only.
private func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
}

private func hexDigits(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
