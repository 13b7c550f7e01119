public import StratusHTTP

/// Traces every request of an `HTTPClient` with a CLIENT span, following the
/// OpenTelemetry semantic conventions for HTTP clients.
///
/// - The span is a child of `ServiceContext.current` (the server span of the
///   request being handled, for example), or the root of a new trace.
/// - Its context is written to the request's `traceparent` and
///   `tracestate`, replacing fields already there, so the server continues
///   the trace. An unsampled span is propagated too, with the sampled flag off.
/// - Its name is the method (`GET`), as the conventions ask, because a
///   client does not know the server's route template.
/// - Attributes: `http.request.method`, `url.full` (signature values
///   redacted), `server.address`, `server.port`,
///   `http.response.status_code`.
/// - A 4xx or 5xx response sets the status to error and `error.type` to the
///   status code. A thrown error is recorded as an `exception` event, and
///   `error.type` is its `HTTPClientError` code (`connectFailed`) or its type.
///
/// The span ends when the response head arrives, before the body is read.
public struct HTTPClientTracingMiddleware: HTTPClientMiddleware {
    private let tracer: (any Tracer)?

    /// - Parameter tracer: the tracer to use; by default the one given to
    ///   `InstrumentationSystem.bootstrap(_:)`, read at each request.
    public init(tracer: (any Tracer)? = nil) {
        self.tracer = tracer
    }

    public func execute(
        _ request: HTTPClientRequest,
        next: (HTTPClientRequest) async throws -> HTTPClientResponse
    ) async throws -> HTTPClientResponse {
        let tracer = self.tracer ?? InstrumentationSystem.tracer
        let parent = ServiceContext.current ?? .topLevel
        let name = HTTPTracingSemantics.spanName(method: request.method, route: nil)
        let span = tracer.startSpan(name, context: parent, ofKind: .client, at: DefaultTracerClock.now)
        defer { span.end() }
        if span.isRecording {
            span.attributes = Self.requestAttributes(request)
        }
        var request = request
        if span.context.spanContext != nil {
            request.headers.remove(TraceState.fieldName)
        }
        tracer.inject(span.context, into: &request.headers, using: HTTPFieldsInjector())
        do {
            let response = try await withServiceContext(span.context) {
                try await next(request)
            }
            HTTPTracingSemantics.recordResponseStatus(response.status.code, on: span, errorFrom: 400)
            return response
        } catch let error as HTTPClientError {
            HTTPTracingSemantics.recordThrownError(error, errorType: error.code.rawValue, on: span)
            throw error
        } catch {
            HTTPTracingSemantics.recordThrownError(error, errorType: String(reflecting: type(of: error)), on: span)
            throw error
        }
    }

    static func requestAttributes(_ request: HTTPClientRequest) -> SpanAttributes {
        var attributes = SpanAttributes()
        HTTPTracingSemantics.setMethod(request.method, on: &attributes)
        attributes["url.full"] = redactedURL(request.url)
        let (address, port) = authority(of: request.url)
        if let address {
            attributes["server.address"] = address
            attributes["server.port"] = port ?? 80
        }
        return attributes
    }

    /// Returns the host and port of an `http://host[:port]/path` URL.
    static func authority(of url: String) -> (host: Substring?, port: Int?) {
        guard url.hasPrefix("http://") else { return (nil, nil) }
        let rest = url.dropFirst("http://".count)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let (host, port) = HTTPTracingSemantics.splitHostPort(rest[..<end])
        return (host.isEmpty ? nil : host, port)
    }

    static func redactedURL(_ url: String) -> String {
        guard let mark = url.firstIndex(of: "?") else { return url }
        let fragmentStart = url[mark...].firstIndex(of: "#") ?? url.endIndex
        let query = url[url.index(after: mark)..<fragmentStart]
        return url[...mark] + HTTPTracingSemantics.redactQuery(query) + url[fragmentStart...]
    }
}
