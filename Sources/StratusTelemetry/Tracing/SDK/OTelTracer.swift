/// The tracer that records sampled spans and hands them to a processor, in
/// the OpenTelemetry model: sampler, processor, exporter.
///
/// ```swift
/// let exporter = OTLPHTTPSpanExporter(
///     resource: TracingResource(serviceName: "iam-apiserver", serviceInstanceID: instanceID),
///     configuration: OTLPHTTPSpanExporter.Configuration(endpoint: "http://127.0.0.1:4318"),
///     logger: logger
/// )
/// let processor = BatchSpanProcessor(exporter: exporter, logger: logger)
/// let tracer = OTelTracer(
///     sampler: ParentBasedSampler(root: TraceIDRatioSampler(ratio: 0.1)),
///     processor: processor
/// )
/// InstrumentationSystem.bootstrap(tracer)
/// ```
///
/// Every span gets ids and propagates, whether sampled or not. An unsampled
/// span is a `NoOpSpan` whose context has the sampled flag off: it stores no
/// attributes and is never exported. The services after it still receive
/// the trace context.
public struct OTelTracer: Tracer {
    public let sampler: any Sampler
    public let processor: any SpanProcessor
    public let propagator: any Instrument
    public let limits: SpanLimits

    public init(
        sampler: any Sampler = ParentBasedSampler(root: AlwaysOnSampler()),
        processor: any SpanProcessor,
        propagator: any Instrument = W3CTraceContextPropagator(),
        limits: SpanLimits = SpanLimits()
    ) {
        self.sampler = sampler
        self.processor = processor
        self.propagator = propagator
        self.limits = limits
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant
    ) -> any Span {
        let parentContext = context()
        let parent = parentContext.spanContext
        let traceID = parent?.traceID ?? TraceID.random()
        let sampled = sampler.shouldSample(parent: parent, traceID: traceID, operationName: operationName, kind: kind)
        let spanContext = SpanContext(
            traceID: traceID,
            spanID: SpanID.random(),
            traceFlags: sampled ? SpanContext.sampledFlag : 0,
            traceState: parent?.traceState ?? "",
            isRemote: false
        )
        var spanServiceContext = parentContext
        spanServiceContext.spanContext = spanContext
        guard sampled else {
            return NoOpSpan(context: spanServiceContext)
        }
        return RecordingSpan(
            operationName: operationName,
            kind: kind,
            context: spanServiceContext,
            parent: parent,
            start: instant().nanosecondsSinceEpoch,
            limits: limits,
            processor: processor
        )
    }

    public func forceFlush(timeout: Duration) async -> Bool {
        await processor.forceFlush(timeout: timeout)
    }

    /// Exports what is queued and stops the processor. See `SpanProcessor.shutdown(timeout:)`.
    public func shutdown(timeout: Duration = .seconds(10)) async {
        await processor.shutdown(timeout: timeout)
    }

    public func extract<Extract: Extractor>(_ carrier: Extract.Carrier, into context: inout ServiceContext, using extractor: Extract) {
        propagator.extract(carrier, into: &context, using: extractor)
    }

    public func inject<Inject: Injector>(_ context: ServiceContext, into carrier: inout Inject.Carrier, using injector: Inject) {
        propagator.inject(context, into: &carrier, using: injector)
    }
}
