/// The W3C Trace Context `traceparent` field: version, trace id, parent span
/// id and trace flags, as `00-<32 hex>-<16 hex>-<2 hex>`.
///
/// Parsing follows the W3C Trace Context recommendation (level 1):
/// - Every part is lowercase hex. Uppercase digits are invalid.
/// - Version `ff` is invalid. Version `00` must be exactly 55 characters.
/// - A later version is parsed leniently, because the recommendation asks
///   receivers to accept fields that only add to the end: at least 55
///   characters, the version 00 parts in place, and either the end or a `-`
///   after the flags. Only the sampled bit of its flags is kept.
/// - An all-zero trace id or parent id is invalid.
public enum TraceParent {
    public static let fieldName = "traceparent"

    /// The length of a version 00 value.
    static let version00Length = 55

    /// Parses a `traceparent` value into a remote span context without
    /// trace state; nil when the value is invalid.
    public static func parse(_ value: some StringProtocol) -> SpanContext? {
        let bytes = Array(value.utf8)
        guard bytes.count >= version00Length,
              let version = hexByte(bytes, at: 0),
              version != 0xFF,
              bytes[2] == dash, bytes[35] == dash, bytes[52] == dash,
              let flags = hexByte(bytes, at: 53)
        else { return nil }
        if version == 0 {
            guard bytes.count == version00Length else { return nil }
        } else if bytes.count > version00Length, bytes[version00Length] != dash {
            return nil
        }
        guard let traceID = TraceID(hex: Substring(decoding: bytes[3..<35], as: UTF8.self)),
              let spanID = SpanID(hex: Substring(decoding: bytes[36..<52], as: UTF8.self))
        else { return nil }
        let keptFlags = version == 0 ? flags : flags & SpanContext.sampledFlag
        return SpanContext(traceID: traceID, spanID: spanID, traceFlags: keptFlags, isRemote: true)
    }

    /// Formats `context` as a version 00 value.
    public static func format(_ context: SpanContext) -> String {
        let flags = context.traceFlags < 0x10 ? "0" + String(context.traceFlags, radix: 16) : String(context.traceFlags, radix: 16)
        return "00-\(context.traceID)-\(context.spanID)-\(flags)"
    }

    private static let dash = UInt8(ascii: "-")

    /// Reads two lowercase hex digits at `offset`.
    private static func hexByte(_ bytes: [UInt8], at offset: Int) -> UInt8? {
        guard let high = hexValue(bytes[offset]), let low = hexValue(bytes[offset + 1]) else { return nil }
        return high << 4 | low
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
