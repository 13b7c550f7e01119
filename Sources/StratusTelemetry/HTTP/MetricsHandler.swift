public import StratusHTTP

/// Serves a registry's metrics in the Prometheus text format for scrapes.
///
/// ```swift
/// router.addMetricsRoute()                       // GET /metrics, shared registry
/// router.get("/internal/metrics") { request, context in
///     MetricsHandler(registry: registry).respond(to: request, context: context)
/// }
/// ```
///
/// Each request renders the exposition on the handler's task, running the
/// registry's collectors there (the process metrics read a few /proc files).
public struct MetricsHandler: HTTPResponder {
    public let registry: MetricsRegistry

    public init(registry: MetricsRegistry = .shared) {
        self.registry = registry
    }

    public func respond(to request: Request, context: RequestContext) -> Response {
        Response(
            headers: ["Content-Type": PrometheusExposition.contentType],
            body: OutgoingBody(string: registry.exposition())
        )
    }
}

extension RouterMethods {
    /// Registers `GET path` (and so HEAD) to serve `registry`'s metrics.
    @discardableResult
    public func addMetricsRoute(_ path: String = "/metrics", registry: MetricsRegistry = .shared) -> Self {
        let handler = MetricsHandler(registry: registry)
        return get(path) { request, context in
            handler.respond(to: request, context: context)
        }
    }
}
