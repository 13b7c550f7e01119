public import StratusHTTP

/// Reads propagation fields from HTTP headers. Repeated fields are joined
/// with commas (RFC 9110, section 5.3), except `traceparent`: two of those
/// are ambiguous, so the extractor returns none.
public struct HTTPFieldsExtractor: Extractor {
    public init() {}

    public func extract(key: String, from carrier: HTTPFields) -> String? {
        let values = carrier.values(for: key)
        if values.isEmpty { return nil }
        if key.equalsIgnoringASCIICase(TraceParent.fieldName) {
            return values.count == 1 ? String(values[0].trimmingASCIISpaces()) : nil
        }
        return values.joined(separator: ",")
    }
}

/// Writes propagation fields into HTTP headers, replacing fields of the same name.
public struct HTTPFieldsInjector: Injector {
    public init() {}

    public func inject(_ value: String, forKey key: String, into carrier: inout HTTPFields) {
        carrier.set(key, value)
    }
}

extension HTTPFields {
    /// The remote span context in `traceparent` and `tracestate`, or nil when
    /// `traceparent` is missing, repeated or invalid.
    public var traceContext: SpanContext? {
        var context = ServiceContext.topLevel
        W3CTraceContextPropagator().extract(self, into: &context, using: HTTPFieldsExtractor())
        return context.spanContext
    }

    /// Sets `traceparent`, and `tracestate` when the context has one, from
    /// `spanContext`, replacing both fields.
    public mutating func setTraceContext(_ spanContext: SpanContext) {
        remove(TraceState.fieldName)
        var context = ServiceContext.topLevel
        context.spanContext = spanContext
        W3CTraceContextPropagator().inject(context, into: &self, using: HTTPFieldsInjector())
    }
}
