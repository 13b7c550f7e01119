/// The OTLP `SpanFlags` value of a span or a link. Bits 0-7 are the W3C
/// trace flags. Bit 8 is set when the remoteness of the parent is known
/// (for a link, of the linked span), and bit 9 when it is remote.
enum OTLPSpanFlags {
    /// Returns the flags of `span`. A root span has no parent, so bits 8 and
    /// 9 stay clear.
    static func value(of span: SpanData) -> UInt32 {
        value(traceFlags: span.context.traceFlags, remote: span.parentSpanID == nil ? nil : span.parentIsRemote)
    }

    static func value(of link: SpanLinkData) -> UInt32 {
        value(traceFlags: link.context.traceFlags, remote: link.context.isRemote)
    }

    static func value(traceFlags: UInt8, remote: Bool?) -> UInt32 {
        var flags = UInt32(traceFlags)
        if let remote {
            flags |= 0x100
            if remote { flags |= 0x200 }
        }
        return flags
    }
}
