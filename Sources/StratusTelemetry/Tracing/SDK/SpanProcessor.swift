/// Receives spans as they end, and passes them on to an exporter.
public protocol SpanProcessor: Sendable {
    /// Takes an ended span. Called on the task that ended the span, so it
    /// must not block or suspend.
    func onEnd(_ span: SpanData)

    /// Exports every span received so far, waiting at most `timeout`.
    /// Returns false when the timeout passed first.
    func forceFlush(timeout: Duration) async -> Bool

    /// Exports what is queued, waiting at most `timeout`, then stops.
    /// Spans that end later are dropped.
    func shutdown(timeout: Duration) async
}

/// Sends batches of ended spans to a backend.
public protocol SpanExporter: Sendable {
    /// Sends `batch`, retrying as the exporter's policy allows. Throws when
    /// the batch is lost.
    func export(_ batch: [SpanData]) async throws

    /// Releases connections. Later exports fail.
    func shutdown() async
}
