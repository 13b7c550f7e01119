import StratusTelemetry

/// Moves W3C trace context in and out of message headers.
enum TracePropagation {
    private static let propagator = W3CTraceContextPropagator()

    /// Adds `traceparent` (and `tracestate`) for `context` unless the
    /// headers already carry one.
    static func inject(_ context: ServiceContext, into headers: inout [String: String]) {
        guard headers[TraceParent.fieldName] == nil else { return }
        propagator.inject(context, into: &headers, using: HeaderInjector())
    }

    static func extract(from headers: [String: String]) -> ServiceContext {
        var context = ServiceContext.topLevel
        propagator.extract(headers, into: &context, using: HeaderExtractor())
        return context
    }
}

private struct HeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

private struct HeaderExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}
