/// A tracer that records and propagates nothing: the default before
/// `InstrumentationSystem.bootstrap(_:)`.
///
/// Its spans carry the caller's context unchanged, so a trace that arrives
/// from a client is not continued, and nothing is injected into requests.
public struct NoOpTracer: Tracer {
    public init() {}

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant
    ) -> any Span {
        NoOpSpan(context: context())
    }

    public func forceFlush(timeout: Duration) async -> Bool { true }

    public func extract<Extract: Extractor>(_ carrier: Extract.Carrier, into context: inout ServiceContext, using extractor: Extract) {}

    public func inject<Inject: Injector>(_ context: ServiceContext, into carrier: inout Inject.Carrier, using injector: Inject) {}
}

/// A span that stores nothing: from `NoOpTracer`, and for unsampled spans of
/// `OTelTracer`, whose context still carries ids so that the trace continues
/// with the sampled flag off.
public final class NoOpSpan: Span {
    public let context: ServiceContext

    public init(context: ServiceContext) {
        self.context = context
    }

    public var operationName: String {
        get { "" }
        set {}
    }

    public var attributes: SpanAttributes {
        get { [:] }
        set {}
    }

    public var isRecording: Bool { false }

    public func setAttribute(_ value: SpanAttribute?, forKey key: String) {}

    public func setStatus(_ status: SpanStatus) {}
    public func addEvent(_ event: SpanEvent) {}
    public func recordError(_ error: any Error, attributes: SpanAttributes, at instant: some TracerInstant) {}
    public func addLink(_ link: SpanLink) {}
    public func end(at instant: some TracerInstant) {}
}
