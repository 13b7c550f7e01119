/// Propagates the active span's context in the W3C Trace Context fields
/// `traceparent` and `tracestate`.
///
/// Extraction sets `context.spanContext` to a remote span context when
/// exactly one valid `traceparent` is present; the `tracestate` is kept only
/// then, and only when valid. Otherwise the context is unchanged, so the
/// next span starts a new trace.
public struct W3CTraceContextPropagator: Instrument {
    public init() {}

    public func extract<Extract: Extractor>(_ carrier: Extract.Carrier, into context: inout ServiceContext, using extractor: Extract) {
        guard let traceParent = extractor.extract(key: TraceParent.fieldName, from: carrier),
              var spanContext = TraceParent.parse(traceParent)
        else { return }
        if let traceState = extractor.extract(key: TraceState.fieldName, from: carrier) {
            spanContext.traceState = TraceState.normalize([traceState])
        }
        context.spanContext = spanContext
    }

    public func inject<Inject: Injector>(_ context: ServiceContext, into carrier: inout Inject.Carrier, using injector: Inject) {
        guard let spanContext = context.spanContext else { return }
        injector.inject(TraceParent.format(spanContext), forKey: TraceParent.fieldName, into: &carrier)
        if !spanContext.traceState.isEmpty {
            injector.inject(spanContext.traceState, forKey: TraceState.fieldName, into: &carrier)
        }
    }
}
