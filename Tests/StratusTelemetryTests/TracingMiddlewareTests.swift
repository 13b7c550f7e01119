import StratusHTTP
@testable import StratusTelemetry
import Testing

/// The tracing middleware run in memory: a router responder called directly,
/// and the client middleware given a `next` that responds without a socket.
@Suite struct TracingMiddlewareTests {
    private func makeResponder(_ tracer: OTelTracer) -> some HTTPResponder {
        let router = Router()
        router.add(middleware: TracingMiddleware(tracer: tracer))
        router.get("/v1/users/:name") { _, context in "hello \(context.parameters["name"] ?? "")" }
        router.get("/v1/fail") { _, _ in Response(status: .serviceUnavailable) }
        return router.buildResponder()
    }

    private func request(_ target: String, headers: HTTPFields = [:]) -> Request {
        var headers = headers
        headers.set("Host", "api.example.test:8080")
        headers.set("User-Agent", "tracing-test")
        return Request(head: HTTPRequestHead(method: .get, target: target, headers: headers))
    }

    @Test func serverSpanUsesRoute() async throws {
        let processor = SimpleTestProcessor()
        let responder = makeResponder(OTelTracer(processor: processor))
        _ = try await responder.respond(to: request("/v1/users/alice?sig=secret&x=1"), context: RequestContext(remoteAddress: "127.0.0.1:5555"))
        let span = try #require(processor.endedSpans.first)
        #expect(span.operationName == "GET /v1/users/:name")
        #expect(span.kind == .server)
        #expect(span.attributes.attribute(forKey: "http.route") == .string("/v1/users/:name"))
        #expect(span.attributes.attribute(forKey: "url.path") == .string("/v1/users/alice"))
        #expect(span.attributes.attribute(forKey: "url.query") == .string("sig=REDACTED&x=1"))
        #expect(span.attributes.attribute(forKey: "url.scheme") == .string("http"))
        #expect(span.attributes.attribute(forKey: "http.request.method") == .string("GET"))
        #expect(span.attributes.attribute(forKey: "http.response.status_code") == .int64(200))
        #expect(span.attributes.attribute(forKey: "server.address") == .string("api.example.test"))
        #expect(span.attributes.attribute(forKey: "server.port") == .int64(8080))
        #expect(span.attributes.attribute(forKey: "client.address") == .string("127.0.0.1"))
        #expect(span.attributes.attribute(forKey: "network.peer.port") == .int64(5555))
        #expect(span.attributes.attribute(forKey: "user_agent.original") == .string("tracing-test"))
        #expect(span.status.code == .unset)
    }

    @Test func unmatchedRouteUsesMethod() async throws {
        let processor = SimpleTestProcessor()
        let responder = makeResponder(OTelTracer(processor: processor))
        _ = try await responder.respond(to: request("/nowhere"), context: RequestContext())
        let span = try #require(processor.endedSpans.first)
        #expect(span.operationName == "GET")
        #expect(span.attributes.attribute(forKey: "http.route") == nil)
        #expect(span.attributes.attribute(forKey: "http.response.status_code") == .int64(404))
        #expect(span.status.code == .unset)
    }

    @Test func serverErrorSetsStatus() async throws {
        let processor = SimpleTestProcessor()
        let responder = makeResponder(OTelTracer(processor: processor))
        _ = try await responder.respond(to: request("/v1/fail"), context: RequestContext())
        let span = try #require(processor.endedSpans.first)
        #expect(span.status.code == .error)
        #expect(span.attributes.attribute(forKey: "error.type") == .string("503"))
    }

    @Test func serverContinuesIncomingTrace() async throws {
        let processor = SimpleTestProcessor()
        let responder = makeResponder(OTelTracer(processor: processor))
        let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        _ = try await responder.respond(to: request("/v1/users/bob", headers: ["traceparent": incoming, "tracestate": "rojo=1"]), context: RequestContext())
        let span = try #require(processor.endedSpans.first)
        #expect(span.context.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(span.parentSpanID?.description == "00f067aa0ba902b7")
        #expect(span.parentIsRemote)
        #expect(span.context.traceState == "rojo=1")
    }

    @Test func unsampledTraceStillPropagates() async throws {
        let processor = SimpleTestProcessor()
        let tracer = OTelTracer(processor: processor)
        let client = HTTPClientTracingMiddleware(tracer: tracer)
        var incoming = ServiceContext.topLevel
        incoming.spanContext = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
        let sent = try await withServiceContext(incoming) {
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:9/x")) { request in
                HTTPClientResponse(status: .ok, headers: request.headers)
            }
        }
        let traceParent = try #require(sent.headers["traceparent"])
        #expect(traceParent.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
        #expect(traceParent.hasSuffix("-00"))
        #expect(processor.endedSpans.isEmpty)
    }

    @Test func clientSpanAttributes() async throws {
        let processor = SimpleTestProcessor()
        let client = HTTPClientTracingMiddleware(tracer: OTelTracer(processor: processor))
        let response = try await client.execute(HTTPClientRequest(method: .post, url: "http://127.0.0.1:8081/v1/users?limit=1")) { request in
            HTTPClientResponse(status: .notFound, headers: request.headers)
        }
        let span = try #require(processor.endedSpans.first)
        #expect(span.operationName == "POST")
        #expect(span.kind == .client)
        #expect(span.attributes.attribute(forKey: "url.full") == .string("http://127.0.0.1:8081/v1/users?limit=1"))
        #expect(span.attributes.attribute(forKey: "server.address") == .string("127.0.0.1"))
        #expect(span.attributes.attribute(forKey: "server.port") == .int64(8081))
        #expect(span.attributes.attribute(forKey: "http.response.status_code") == .int64(404))
        #expect(span.status.code == .error)
        #expect(response.headers.traceContext?.spanID == span.context.spanID)
    }

    @Test func clientRecordsThrownError() async throws {
        let processor = SimpleTestProcessor()
        let client = HTTPClientTracingMiddleware(tracer: OTelTracer(processor: processor))
        await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:9/")) { _ in
                throw HTTPClientError(.connectFailed, "connection refused by 127.0.0.1:9")
            }
        }
        let span = try #require(processor.endedSpans.first)
        #expect(span.status.code == .error)
        #expect(span.attributes.attribute(forKey: "error.type") == .string("connectFailed"))
        #expect(span.events.map(\.name) == ["exception"])
    }

    @Test func unknownMethodIsOther() async throws {
        let processor = SimpleTestProcessor()
        let client = HTTPClientTracingMiddleware(tracer: OTelTracer(processor: processor))
        _ = try await client.execute(HTTPClientRequest(method: HTTPMethod(rawValue: "PURGE"), url: "http://127.0.0.1:9/")) { _ in
            HTTPClientResponse(status: .ok)
        }
        let span = try #require(processor.endedSpans.first)
        #expect(span.operationName == "HTTP")
        #expect(span.attributes.attribute(forKey: "http.request.method") == .string("_OTHER"))
        #expect(span.attributes.attribute(forKey: "http.request.method_original") == .string("PURGE"))
    }
}
