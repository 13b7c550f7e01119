public import StratusHTTP
import StratusNet

/// Counts outgoing requests and measures their duration by endpoint, for
/// Prometheus:
///
/// - `http_client_requests_total{method, host, status}`: requests sent;
///   `status` is the response status code, or `error` when the request threw.
/// - `http_client_request_duration_seconds{method, host}`: a histogram of the
///   time until the response head arrived or the request failed, including
///   the pool's wait for a connection and its retry.
///
/// `host` is `host:port` from the URL (`127.0.0.1:8080`, `[::1]:8080`), with
/// port 80 when the URL names none. A method outside RFC 9110's and PATCH
/// becomes `_OTHER`. Errors are rethrown unchanged.
public struct HTTPClientMetricsMiddleware: HTTPClientMiddleware {
    /// The `status` label of requests that threw.
    public static let errorStatus = "error"

    private struct Key: Hashable, Sendable {
        var method: HTTPMethod
        var host: Substring
        var status: Int?
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

    public func execute(
        _ request: HTTPClientRequest,
        next: (HTTPClientRequest) async throws -> HTTPClientResponse
    ) async throws -> HTTPClientResponse {
        let start = MonotonicClock.now()
        let host = Self.hostLabel(url: request.url)
        do {
            let response = try await next(request)
            record(request.method, host: host, status: response.status.code, since: start)
            return response
        } catch {
            record(request.method, host: host, status: nil, since: start)
            throw error
        }
    }

    private func record(_ method: HTTPMethod, host: Substring, status: Int?, since start: UInt64) {
        let elapsed = MonotonicClock.now() &- start
        let handles = cache.handles(for: Key(method: method, host: host, status: status)) {
            makeHandles(method: method, host: String(host), status: status.map { String($0) } ?? Self.errorStatus)
        }
        handles.requests.increment()
        handles.duration.recordNanoseconds(Int64(truncatingIfNeeded: elapsed))
    }

    private func makeHandles(method: HTTPMethod, host: String, status: String) -> Handles {
        let method = HTTPMetricsLabels.method(method)
        return registry.makeBuiltIn { () throws(MetricsError) in
            Handles(
                requests: try registry.makeCounter(
                    label: "http_client_requests_total",
                    dimensions: [("method", method), ("host", host), ("status", status)],
                    help: "HTTP requests sent, by method, host:port and status code (error when no response arrived)."
                ),
                duration: try registry.makeTimer(
                    label: "http_client_request_duration_seconds",
                    dimensions: [("method", method), ("host", host)],
                    help: "Time from sending an HTTP request until its response head arrived or it failed, by method and host:port.",
                    buckets: buckets
                )
            )
        }
    }

    /// Returns the URL's authority as `host:port`, without user information,
    /// adding the scheme's default port (80, or 443 for https) when it has
    /// none. A URL without `://` is returned whole, so the request fails
    /// visibly with its own label.
    static func hostLabel(url: String) -> Substring {
        guard let schemeEnd = url.firstRange(of: "://") else {
            return Substring(url)
        }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        // An IPv6 address has colons of its own, so only a colon after its
        // closing bracket starts a port.
        let afterAddress = authority.lastIndex(of: "]").map { authority[$0...] } ?? authority
        guard !afterAddress.contains(":") else {
            return authority
        }
        let defaultPort = url.hasPrefix("https://") ? ":443" : ":80"
        return Substring(String(authority) + defaultPort)
    }
}
