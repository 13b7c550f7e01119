public import StratusHTTP
import StratusNet

/// Counts requests and measures their duration by route template, for
/// Prometheus:
///
/// - `http_server_requests_total{method, route, status}`: requests served.
/// - `http_server_request_duration_seconds{method, route}`: a histogram of the
///   time from the middleware's start until the rest of the chain returns the
///   response, before its body is sent. Status is left out to keep the series
///   count down; `http_server_requests_total` gives the error rate.
///
/// `route` is the matched template (`/items/:id`), never the raw path, so the
/// number of series is bounded by the routes. A request that matches no route
/// (404, 405) gets the route `unmatched`. A method outside RFC 9110's and PATCH
/// becomes `_OTHER`. A thrown error counts as the status it will become (an
/// `HTTPError`'s status, otherwise 500) and is rethrown unchanged.
///
/// Add it first, so it is the outermost middleware and its duration covers
/// the others.
public struct HTTPServerMetricsMiddleware: RouterMiddleware {
    /// The `route` label of requests that matched no route.
    public static let unmatchedRoute = "unmatched"

    private struct Key: Hashable, Sendable {
        var method: HTTPMethod
        var route: String?
        var status: Int
    }

    private struct Handles: Sendable {
        var requests: Counter
        var duration: Timer
    }

    private let registry: MetricsRegistry
    private let buckets: HistogramBuckets
    private let cache = HTTPMetricsHandleCache<Key, Handles>()

    /// - Parameter durationBuckets: bounds of the duration histogram in seconds.
    public init(registry: MetricsRegistry = .shared, durationBuckets: HistogramBuckets = .durationSeconds) {
        self.registry = registry
        buckets = durationBuckets
    }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let start = MonotonicClock.now()
        do {
            let response = try await next(request, context)
            record(request.method, route: context.route, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? HTTPError)?.status.code ?? HTTPStatus.internalServerError.code
            record(request.method, route: context.route, status: status, since: start)
            throw error
        }
    }

    private func record(_ method: HTTPMethod, route: String?, status: Int, since start: UInt64) {
        let elapsed = MonotonicClock.now() &- start
        let handles = cache.handles(for: Key(method: method, route: route, status: status)) {
            makeHandles(method: method, route: route, status: status)
        }
        handles.requests.increment()
        handles.duration.recordNanoseconds(Int64(truncatingIfNeeded: elapsed))
    }

    private func makeHandles(method: HTTPMethod, route: String?, status: Int) -> Handles {
        let method = HTTPMetricsLabels.method(method)
        let route = route ?? Self.unmatchedRoute
        return registry.makeBuiltIn { () throws(MetricsError) in
            Handles(
                requests: try registry.makeCounter(
                    label: "http_server_requests_total",
                    dimensions: [("method", method), ("route", route), ("status", String(status))],
                    help: "HTTP requests served, by method, route template and status code."
                ),
                duration: try registry.makeTimer(
                    label: "http_server_request_duration_seconds",
                    dimensions: [("method", method), ("route", route)],
                    help: "Time from receiving an HTTP request to its response head, by method and route template.",
                    buckets: buckets
                )
            )
        }
    }
}
