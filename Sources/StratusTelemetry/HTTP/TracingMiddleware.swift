public import StratusHTTP

/// Traces every request a router handles with a SERVER span, following the
/// OpenTelemetry semantic conventions for HTTP servers.
///
/// - The span continues the trace in the request's `traceparent` and
///   `tracestate`, or starts a new one.
/// - Its name is `{method} {route}` with the matched route template
///   (`GET /v1/users/:name`), or `{method}` when no route matched, so span
///   names stay few however many paths clients send.
/// - The rest of the chain and the handler run with the span's context as
///   `ServiceContext.current`, so client requests and log lines made there
///   carry the trace.
/// - Attributes: `http.request.method`, `url.path`, `url.query` (signature
///   values redacted), `url.scheme`, `http.route`, `network.protocol.version`,
///   `server.address` and `server.port` from `Host`, `client.address` (the
///   first `X-Forwarded-For` entry, or the peer), `network.peer.address` and
///   `network.peer.port`, `user_agent.original`, `http.response.status_code`.
/// - A 5xx response or a thrown error sets the status to error and
///   `error.type`; a thrown error is recorded as an `exception` event. An
///   `HTTPError` counts as a response with its status.
///
/// The span ends when the response head is returned to the server, before a
/// streamed body is sent. Add this middleware first, so that it also records
/// the responses and errors of the middleware after it.
public struct TracingMiddleware: RouterMiddleware {
    private let tracer: (any Tracer)?

    /// - Parameter tracer: the tracer to use; by default the one given to
    ///   `InstrumentationSystem.bootstrap(_:)`, read at each request.
    public init(tracer: (any Tracer)? = nil) {
        self.tracer = tracer
    }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let tracer = self.tracer ?? InstrumentationSystem.tracer
        var parent = ServiceContext.current ?? .topLevel
        parent.spanContext = nil
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let name = HTTPTracingSemantics.spanName(method: request.method, route: context.route)
        let span = tracer.startSpan(name, context: parent, ofKind: .server, at: DefaultTracerClock.now)
        defer { span.end() }
        if span.isRecording {
            span.attributes = Self.requestAttributes(request, context: context)
        }
        do {
            let response = try await withServiceContext(span.context) {
                try await next(request, context)
            }
            HTTPTracingSemantics.recordResponseStatus(response.status.code, on: span, errorFrom: 500)
            return response
        } catch let error as HTTPError {
            HTTPTracingSemantics.recordResponseStatus(error.status.code, on: span, errorFrom: 500)
            throw error
        } catch {
            HTTPTracingSemantics.recordThrownError(error, errorType: String(reflecting: type(of: error)), on: span)
            throw error
        }
    }

    /// The number of attributes a request span usually ends with, so that
    /// their storage is allocated once.
    private static let expectedAttributeCount = 14

    static func requestAttributes(_ request: Request, context: RequestContext) -> SpanAttributes {
        var attributes = SpanAttributes(reservingCapacity: expectedAttributeCount)
        HTTPTracingSemantics.setMethod(request.method, on: &attributes)
        attributes.append(.string(String(request.path)), forNewKey: "url.path")
        attributes.append(.string("http"), forNewKey: "url.scheme")
        if let route = context.route {
            attributes.append(.string(route), forNewKey: "http.route")
        }
        let version = HTTPTracingSemantics.protocolVersion(request.head.version)
        attributes.append(.string(version), forNewKey: "network.protocol.version")
        if let query = request.query {
            attributes.append(.string(HTTPTracingSemantics.redactQuery(query)), forNewKey: "url.query")
        }

        let fields = RequestFields(request.headers)
        if let host = fields.host {
            appendAddress(of: host, to: &attributes, addressKey: "server.address", portKey: "server.port")
        }

        var clientAddress: String?
        if let peer = context.remoteAddress {
            clientAddress = appendAddress(of: peer, to: &attributes, addressKey: "network.peer.address", portKey: "network.peer.port")
        }
        if let forwarded = fields.forwardedFor,
           let first = forwarded.split(separator: ",").first?.trimmingASCIISpaces(), !first.isEmpty {
            clientAddress = String(first)
        }
        if let clientAddress {
            attributes.append(.string(clientAddress), forNewKey: "client.address")
        }

        if let userAgent = fields.userAgent {
            attributes.append(.string(userAgent), forNewKey: "user_agent.original")
        }
        return attributes
    }

    /// Appends the host and port of `authority` under the two keys, and
    /// returns the host.
    @discardableResult
    private static func appendAddress(
        of authority: String,
        to attributes: inout SpanAttributes,
        addressKey: String,
        portKey: String
    ) -> String {
        let (host, port) = HTTPTracingSemantics.splitHostPort(authority)
        attributes.append(.string(host), forNewKey: addressKey)
        if let port {
            attributes.append(.int64(Int64(port)), forNewKey: portKey)
        }
        return host
    }
}
