/// Starts spans and propagates their context, shaped like
/// swift-distributed-tracing's `Tracer`.
///
/// Bootstrap one tracer per process with `InstrumentationSystem.bootstrap(_:)`,
/// or pass one to the code that traces.
public protocol Tracer: Instrument {
    /// Starts a span as a child of `context.spanContext`, or as the root of a
    /// new trace when the context has none.
    ///
    /// The span is not made current: run the work inside
    /// `withServiceContext(span.context)`, or use `withSpan`, which does both.
    /// End the span with `end()`: a span that never ends is never exported.
    func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant
    ) -> any Span

    /// Exports the spans ended so far, waiting at most `timeout`. Returns
    /// false when the timeout passed first.
    func forceFlush(timeout: Duration) async -> Bool
}

extension Tracer {
    /// Starts a span now, as a child of the current context.
    public func startSpan(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext = ServiceContext.current ?? .topLevel,
        ofKind kind: SpanKind = .internal
    ) -> any Span {
        startSpan(operationName, context: context(), ofKind: kind, at: DefaultTracerClock.now)
    }

    /// Runs `operation` inside a new span, with the span's context as
    /// `ServiceContext.current`, and ends the span when `operation` returns
    /// or throws. A thrown error is recorded and sets the status to `.error`
    /// before it propagates.
    public func withSpan<T>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext = ServiceContext.current ?? .topLevel,
        ofKind kind: SpanKind = .internal,
        _ operation: (any Span) async throws -> T
    ) async rethrows -> T {
        let span = startSpan(operationName, context: context(), ofKind: kind, at: DefaultTracerClock.now)
        defer { span.end() }
        do {
            return try await withServiceContext(span.context) {
                try await operation(span)
            }
        } catch {
            span.recordError(error)
            span.setStatus(.error("\(error)"))
            throw error
        }
    }

    /// The synchronous form of `withSpan`.
    public func withSpan<T>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext = ServiceContext.current ?? .topLevel,
        ofKind kind: SpanKind = .internal,
        _ operation: (any Span) throws -> T
    ) rethrows -> T {
        let span = startSpan(operationName, context: context(), ofKind: kind, at: DefaultTracerClock.now)
        defer { span.end() }
        do {
            return try withServiceContext(span.context) {
                try operation(span)
            }
        } catch {
            span.recordError(error)
            span.setStatus(.error("\(error)"))
            throw error
        }
    }
}

/// Runs `operation` inside a new span of the bootstrapped tracer. See
/// `Tracer.withSpan`.
public func withSpan<T>(
    _ operationName: String,
    context: @autoclosure () -> ServiceContext = ServiceContext.current ?? .topLevel,
    ofKind kind: SpanKind = .internal,
    _ operation: (any Span) async throws -> T
) async rethrows -> T {
    try await InstrumentationSystem.tracer.withSpan(operationName, context: context(), ofKind: kind, operation)
}

/// Starts a span of the bootstrapped tracer. See `Tracer.startSpan`.
public func startSpan(
    _ operationName: String,
    context: @autoclosure () -> ServiceContext = ServiceContext.current ?? .topLevel,
    ofKind kind: SpanKind = .internal
) -> any Span {
    InstrumentationSystem.tracer.startSpan(operationName, context: context(), ofKind: kind)
}
