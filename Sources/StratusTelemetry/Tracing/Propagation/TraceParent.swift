/// The W3C Trace Context `traceparent` field: version, trace id, parent span
/// id and trace flags, as `00-<32 hex>-<16 hex>-<2 hex>`.
///
/// Parsing follows the W3C Trace Context recommendation (level 1):
/// - Every part is lowercase hex. Uppercase digits are invalid.
/// - Version `ff` is invalid. Version `00` must be exactly 55 characters.
/// - A later version is parsed leniently, because the W3C recommendation tells
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
        let utf8 = value.utf8
        if let parsed = utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) {
            return parsed
        }
        return Array(utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> SpanContext? {
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
        guard let high = parseHexDigits(bytes[3..<19]),
              let low = parseHexDigits(bytes[19..<35]),
              let spanID = parseHexDigits(bytes[36..<52]),
              high != 0 || low != 0, spanID != 0
        else { return nil }
        let keptFlags = version == 0 ? flags : flags & SpanContext.sampledFlag
        return SpanContext(
            traceID: TraceID(high: high, low: low),
            spanID: SpanID(value: spanID),
            traceFlags: keptFlags,
            isRemote: true
        )
    }

    /// Formats `context` as a version 00 value.
    public static func format(_ context: SpanContext) -> String {
        String(unsafeUninitializedCapacity: version00Length) { buffer in
            buffer[0] = UInt8(ascii: "0")
            buffer[1] = UInt8(ascii: "0")
            buffer[2] = dash
            writeHexDigits(context.traceID.high, into: buffer, at: 3)
            writeHexDigits(context.traceID.low, into: buffer, at: 19)
            buffer[35] = dash
            writeHexDigits(context.spanID.value, into: buffer, at: 36)
            buffer[52] = dash
            buffer[53] = lowercaseHexDigit(context.traceFlags >> 4)
            buffer[54] = lowercaseHexDigit(context.traceFlags & 0x0F)
            return version00Length
        }
    }

    private static let dash = UInt8(ascii: "-")

    /// Reads two lowercase hex digits at `offset`.
    private static func hexByte(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt8? {
        parseHexDigits(bytes[offset..<offset + 2]).map { UInt8(truncatingIfNeeded: $0) }
    }
}
