/// Encodes spans as an OTLP `ExportTraceServiceRequest` in the OTLP/JSON
/// form: protobuf's JSON mapping with lowerCamelCase field names, enums as
/// integers, 64-bit integers as decimal strings, and trace and span ids as
/// lowercase hex rather than base64 (the OTLP specification's exception to
/// that mapping).
///
/// One request contains one resource and one scope, because one tracer sends it.
enum OTLPJSONEncoder {
    /// A span with the attributes of an HTTP server span takes about 900
    /// bytes. Reserving that much up front avoids regrowing the buffer
    /// while a batch is written.
    static let estimatedBytesPerSpan = 1024

    /// Encodes `spans` into a new array.
    static func encode(_ spans: [SpanData], resource: TracingResource) -> [UInt8] {
        var buffer = EncodingBuffer(capacity: estimatedSize(spanCount: spans.count))
        encode(spans, resource: resource, into: &buffer)
        return buffer.bytes
    }

    static func estimatedSize(spanCount: Int) -> Int {
        512 + spanCount * estimatedBytesPerSpan
    }

    /// Appends the encoded request to `buffer`.
    static func encode(_ spans: [SpanData], resource: TracingResource, into buffer: inout EncodingBuffer) {
        var writer = JSONWriter(buffer: buffer)
        writer.raw(#"{"resourceSpans":[{"resource":{"attributes":"#)
        writeAttributes(resource.allAttributes, to: &writer)
        writer.raw(#"},"scopeSpans":[{"scope":{"name":"#)
        writer.string(TracingScope.name)
        writer.raw(#","version":"#)
        writer.string(TracingScope.version)
        writer.raw(#"},"spans":["#)
        // Indexing rather than iterating passes each span borrowed, without
        // retaining and releasing all of its fields.
        for index in spans.indices {
            if index > 0 { writer.raw(",") }
            writeSpan(spans[index], to: &writer)
        }
        writer.raw("]}]}]}")
        buffer = writer.finish()
    }

    // Each key is written together with the punctuation around it, so that a
    // span costs a few dozen appends rather than a hundred.
    private static func writeSpan(_ span: SpanData, to writer: inout JSONWriter) {
        writer.raw(#"{"traceId":"#)
        writer.quotedHex(span.context.traceID)
        writer.raw(#","spanId":"#)
        writer.quotedHex(span.context.spanID.value)
        if let parent = span.parentSpanID {
            writer.raw(#","parentSpanId":"#)
            writer.quotedHex(parent.value)
        }
        if !span.context.traceState.isEmpty {
            writer.raw(#","traceState":"#)
            writer.string(span.context.traceState)
        }
        writer.raw(#","flags":"#)
        writer.integer(OTLPSpanFlags.value(of: span))
        writer.raw(#","name":"#)
        writer.string(span.operationName)
        writer.raw(#","kind":"#)
        writer.integer(span.kind.rawValue)
        writer.raw(#","startTimeUnixNano":"#)
        writer.quotedInteger(span.startNanosecondsSinceEpoch)
        writer.raw(#","endTimeUnixNano":"#)
        writer.quotedInteger(span.endNanosecondsSinceEpoch)
        writer.raw(#","attributes":"#)
        writeAttributes(span.attributes, to: &writer)
        writeDroppedCount(#","droppedAttributesCount":"#, span.droppedAttributeCount, to: &writer)
        // Empty lists and an unset status are left out: in the protobuf JSON
        // mapping an absent field reads as its default, and most spans have
        // none of them, so this saves bytes on every span.
        if !span.events.isEmpty {
            writer.raw(#","events":"#)
            writeEvents(span.events, to: &writer)
        }
        writeDroppedCount(#","droppedEventsCount":"#, span.droppedEventCount, to: &writer)
        if !span.links.isEmpty {
            writer.raw(#","links":"#)
            writeLinks(span.links, to: &writer)
        }
        writeDroppedCount(#","droppedLinksCount":"#, span.droppedLinkCount, to: &writer)
        if span.status.code != .unset {
            writer.raw(#","status":"#)
            writeStatus(span.status, to: &writer)
        }
        writer.raw("}")
    }

    /// Writes `prefix` (the comma and the key) and `count`, unless it is 0.
    private static func writeDroppedCount(_ prefix: StaticString, _ count: Int, to writer: inout JSONWriter) {
        guard count > 0 else { return }
        writer.raw(prefix)
        writer.integer(count)
    }

    private static func writeEvents(_ events: [SpanEvent], to writer: inout JSONWriter) {
        writer.raw("[")
        for (index, event) in events.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{")
            writer.key("timeUnixNano")
            writer.quotedInteger(event.nanosecondsSinceEpoch)
            writer.raw(",")
            writer.key("name")
            writer.string(event.name)
            writer.raw(",")
            writer.key("attributes")
            writeAttributes(event.attributes, to: &writer)
            writer.raw("}")
        }
        writer.raw("]")
    }

    private static func writeLinks(_ links: [SpanLinkData], to writer: inout JSONWriter) {
        writer.raw("[")
        for (index, link) in links.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw(#"{"traceId":"#)
            writer.quotedHex(link.context.traceID)
            writer.raw(#","spanId":"#)
            writer.quotedHex(link.context.spanID.value)
            if !link.context.traceState.isEmpty {
                writer.raw(#","traceState":"#)
                writer.string(link.context.traceState)
            }
            writer.raw(",")
            writer.key("flags")
            writer.integer(OTLPSpanFlags.value(of: link))
            writer.raw(",")
            writer.key("attributes")
            writeAttributes(link.attributes, to: &writer)
            writer.raw("}")
        }
        writer.raw("]")
    }

    private static func writeStatus(_ status: SpanStatus, to writer: inout JSONWriter) {
        writer.raw("{")
        writer.key("code")
        writer.integer(status.code.rawValue)
        if status.code == .error, let message = status.message {
            writer.raw(",")
            writer.key("message")
            writer.string(message)
        }
        writer.raw("}")
    }

    /// Writes `[{"key":…,"value":{…}}]`, in the order the attributes were set.
    static func writeAttributes(_ attributes: SpanAttributes, to writer: inout JSONWriter) {
        writer.raw("[")
        var first = true
        attributes.forEach { key, value in
            writer.raw(first ? #"{"key":"# : #",{"key":"#)
            first = false
            writer.string(key)
            writer.raw(#","value":"#)
            writeValue(value, to: &writer)
            writer.raw("}")
        }
        writer.raw("]")
    }

    /// Writes an OTLP `AnyValue`; arrays become `arrayValue.values`.
    private static func writeValue(_ value: SpanAttribute, to writer: inout JSONWriter) {
        switch value {
        case .string(let text):
            writer.raw(#"{"stringValue":"#)
            writer.string(text)
        case .int64(let integer):
            writer.raw(#"{"intValue":"#)
            writer.quotedInteger(integer)
        case .double(let double):
            writer.raw(#"{"doubleValue":"#)
            writer.double(double)
        case .bool(let bool):
            writer.raw(#"{"boolValue":"#)
            writer.bool(bool)
        case .stringArray(let values):
            writeArray(values.map(SpanAttribute.string), to: &writer)
        case .int64Array(let values):
            writeArray(values.map(SpanAttribute.int64), to: &writer)
        case .doubleArray(let values):
            writeArray(values.map(SpanAttribute.double), to: &writer)
        case .boolArray(let values):
            writeArray(values.map(SpanAttribute.bool), to: &writer)
        }
        writer.raw("}")
    }

    private static func writeArray(_ elements: [SpanAttribute], to writer: inout JSONWriter) {
        writer.raw(#"{"arrayValue":{"values":["#)
        for (index, element) in elements.enumerated() {
            if index > 0 { writer.raw(",") }
            writeValue(element, to: &writer)
        }
        writer.raw("]}")
    }
}
