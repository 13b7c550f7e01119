/// Encodes spans as an OTLP `ExportTraceServiceRequest` in protobuf binary
/// form, the body of an OTLP/HTTP request with `Content-Type:
/// application/x-protobuf`.
///
/// It writes the same content as `OTLPJSONEncoder`: one resource and one
/// scope, because one tracer sends the request, and every attribute in the
/// order it was set. Ids are raw bytes, trace ids 16 and span ids 8, in the
/// byte order of their hex form.
///
/// As proto3 encoders do, it leaves out fields that hold their default
/// (empty strings and lists, zero counts and flags, an unset status), which
/// a decoder reads back as that default. Fields are written in field-number
/// order, so the bytes are those of protobuf's deterministic serialization.
enum OTLPProtobufEncoder {
    private typealias Field = OTLPProtobufField

    /// Encodes `spans` into a new array.
    static func encode(_ spans: [SpanData], resource: TracingResource) -> [UInt8] {
        var buffer = EncodingBuffer(capacity: estimatedSize(spanCount: spans.count))
        encode(spans, resource: resource, into: &buffer)
        return buffer.bytes
    }

    /// Appends the encoded request to `buffer`.
    static func encode(_ spans: [SpanData], resource: TracingResource, into buffer: inout EncodingBuffer) {
        var writer = ProtobufWriter(buffer: buffer)
        // A batch of 512 HTTP server spans takes about 200 KB, whose length
        // takes 3 bytes. Four bytes cover up to 256 MiB.
        let lengthSize = estimatedSize(spanCount: spans.count) < 1 << 21 ? 3 : 4
        let resourceSpans = writer.beginMessage(Field.ExportTraceServiceRequest.resourceSpans, reservedLengthSize: lengthSize)
        let resourceMessage = writer.beginMessage(Field.ResourceSpans.resource, reservedLengthSize: 2)
        writeAttributes(resource.allAttributes, field: Field.Resource.attributes, to: &writer)
        writer.endMessage(resourceMessage)

        let scopeSpans = writer.beginMessage(Field.ResourceSpans.scopeSpans, reservedLengthSize: lengthSize)
        let scope = writer.beginMessage(Field.ScopeSpans.scope)
        writer.writeStringField(Field.InstrumentationScope.name, TracingScope.name)
        writer.writeStringField(Field.InstrumentationScope.version, TracingScope.version)
        writer.endMessage(scope)
        // Indexing rather than iterating passes each span borrowed, without
        // retaining and releasing all of its fields.
        for index in spans.indices {
            writeSpan(spans[index], to: &writer)
        }
        writer.endMessage(scopeSpans)
        writer.endMessage(resourceSpans)
        buffer = writer.finish()
    }

    /// Returns the bytes to reserve for `spanCount` spans. A server span of
    /// `TracingMiddleware` takes about 370 bytes, so 512 per span usually
    /// avoids regrowing the buffer.
    static func estimatedSize(spanCount: Int) -> Int {
        512 + spanCount * 512
    }

    private static func writeSpan(_ span: SpanData, to writer: inout ProtobufWriter) {
        let message = writer.beginMessage(Field.ScopeSpans.spans, reservedLengthSize: 2)
        writer.writeBigEndianField(Field.Span.traceID, span.context.traceID.high, span.context.traceID.low)
        writer.writeBigEndianField(Field.Span.spanID, span.context.spanID.value)
        writeString(Field.Span.traceState, span.context.traceState, to: &writer)
        if let parent = span.parentSpanID {
            writer.writeBigEndianField(Field.Span.parentSpanID, parent.value)
        }
        writeString(Field.Span.name, span.operationName, to: &writer)
        writer.writeVarintField(Field.Span.kind, UInt64(span.kind.rawValue))
        writeTime(Field.Span.startTimeUnixNano, span.startNanosecondsSinceEpoch, to: &writer)
        writeTime(Field.Span.endTimeUnixNano, span.endNanosecondsSinceEpoch, to: &writer)
        writeAttributes(span.attributes, field: Field.Span.attributes, to: &writer)
        writeCount(Field.Span.droppedAttributesCount, span.droppedAttributeCount, to: &writer)
        for event in span.events {
            writeEvent(event, to: &writer)
        }
        writeCount(Field.Span.droppedEventsCount, span.droppedEventCount, to: &writer)
        for link in span.links {
            writeLink(link, to: &writer)
        }
        writeCount(Field.Span.droppedLinksCount, span.droppedLinkCount, to: &writer)
        if span.status.code != .unset {
            writeStatus(span.status, to: &writer)
        }
        writeFlags(Field.Span.flags, OTLPSpanFlags.value(of: span), to: &writer)
        writer.endMessage(message)
    }

    /// Writes a `string` field unless it is empty.
    static func writeString(_ field: UInt32, _ text: String, to writer: inout ProtobufWriter) {
        guard !text.isEmpty else { return }
        writer.writeStringField(field, text)
    }

    /// Writes a `fixed64` timestamp unless it is 0.
    private static func writeTime(_ field: UInt32, _ nanosecondsSinceEpoch: UInt64, to writer: inout ProtobufWriter) {
        guard nanosecondsSinceEpoch != 0 else { return }
        writer.writeFixed64Field(field, nanosecondsSinceEpoch)
    }

    /// Writes a `fixed32` flags field unless it is 0.
    private static func writeFlags(_ field: UInt32, _ flags: UInt32, to writer: inout ProtobufWriter) {
        guard flags != 0 else { return }
        writer.writeFixed32Field(field, flags)
    }

    /// Writes a `uint32` count unless it is 0, clamped to `UInt32.max`.
    private static func writeCount(_ field: UInt32, _ count: Int, to writer: inout ProtobufWriter) {
        guard count > 0 else { return }
        writer.writeVarintField(field, UInt64(UInt32(clamping: count)))
    }

    private static func writeEvent(_ event: SpanEvent, to writer: inout ProtobufWriter) {
        let message = writer.beginMessage(Field.Span.events, reservedLengthSize: 2)
        writeTime(Field.Event.timeUnixNano, event.nanosecondsSinceEpoch, to: &writer)
        writeString(Field.Event.name, event.name, to: &writer)
        writeAttributes(event.attributes, field: Field.Event.attributes, to: &writer)
        writer.endMessage(message)
    }

    private static func writeLink(_ link: SpanLinkData, to writer: inout ProtobufWriter) {
        let message = writer.beginMessage(Field.Span.links, reservedLengthSize: 2)
        writer.writeBigEndianField(Field.Link.traceID, link.context.traceID.high, link.context.traceID.low)
        writer.writeBigEndianField(Field.Link.spanID, link.context.spanID.value)
        writeString(Field.Link.traceState, link.context.traceState, to: &writer)
        writeAttributes(link.attributes, field: Field.Link.attributes, to: &writer)
        writeFlags(Field.Link.flags, OTLPSpanFlags.value(of: link), to: &writer)
        writer.endMessage(message)
    }

    /// Writes the code, and the message only with an error, as OTLP keeps it.
    private static func writeStatus(_ status: SpanStatus, to writer: inout ProtobufWriter) {
        let message = writer.beginMessage(Field.Span.status)
        if status.code == .error, let text = status.message {
            writeString(Field.Status.message, text, to: &writer)
        }
        writer.writeVarintField(Field.Status.code, UInt64(status.code.rawValue))
        writer.endMessage(message)
    }
}
