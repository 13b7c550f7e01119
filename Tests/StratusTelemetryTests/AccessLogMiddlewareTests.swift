import StratusHTTP
import StratusLog
@testable import StratusTelemetry
import Synchronization
import Testing

@Suite struct AccessLogMiddlewareTests {
    struct DatabaseError: Error {}

    /// Collects chunks like the server's body writer, in memory.
    final class CollectingWriter: BodyWriter {
        private let chunks = Mutex<[[UInt8]]>([])

        var byteCount: Int {
            chunks.withLock { $0.reduce(0) { $0 + $1.count } }
        }

        func write(_ bytes: [UInt8]) async throws {
            chunks.withLock { $0.append(bytes) }
        }
    }

    private func makeResponder(_ captured: CapturedLogOutput, clock: LogTestClock) -> some HTTPResponder {
        let output = captured.makeOutput()
        let logger = Logger(label: AccessLogMiddleware.defaultLabel) { JSONLogHandler(label: $0, output: output) }
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware(logger: logger, redactor: .standard, now: { clock.now() }))
        router.get("/v1/users/:name") { _, _ -> String in
            clock.advance(by: .milliseconds(12))
            return "hello"
        }
        router.get("/v1/reset/:token") { _, _ in HTTPStatus.noContent }
        router.get("/teapot") { _, _ -> String in throw HTTPError(HTTPStatus(code: 418)) }
        router.get("/broken") { _, _ -> String in throw DatabaseError() }
        router.get("/stream") { _, _ in
            Response(body: OutgoingBody { writer in
                try await writer.write("abc")
                try await writer.write("defgh")
            })
        }
        router.get("/stream-fails") { _, _ in
            Response(body: OutgoingBody { writer in
                try await writer.write("abc")
                throw DatabaseError()
            })
        }
        return router.buildResponder()
    }

    private func send(_ target: String, method: HTTPMethod = .get, to responder: some HTTPResponder) async throws -> Response {
        let head = HTTPRequestHead(method: method, target: target, headers: ["X-Request-Id": "req-1"])
        var context = RequestContext(logger: Logger(label: "test") { NoOpLogHandler(label: $0) })
        context.remoteAddress = "127.0.0.1:50000"
        return try await responder.respond(to: Request(head: head), context: context)
    }

    private func onlyLine(_ captured: CapturedLogOutput) throws -> [String: Any] {
        let objects = try captured.jsonObjects()
        try #require(objects.count == 1)
        return objects[0]
    }

    @Test func logsMatchedRequest() async throws {
        let captured = CapturedLogOutput()
        let clock = LogTestClock()
        _ = try await send("/v1/users/ann?token=abc", to: makeResponder(captured, clock: clock))

        let line = try onlyLine(captured)
        #expect(line["level"] as? String == "info")
        #expect(line["label"] as? String == "stratus.access")
        #expect(line["message"] as? String == "request")
        #expect(line["http.method"] as? String == "GET")
        #expect(line["http.route"] as? String == "/v1/users/:name")
        #expect(line["url.path"] as? String == "/v1/users/ann")
        #expect(line["http.status"] as? Int == 200)
        #expect(line["duration_ms"] as? Double == 12)
        #expect(line["http.response.body.size"] as? Int == 5)
        #expect(line["request.id"] as? String == "req-1")
        #expect(line["client.address"] as? String == "127.0.0.1:50000")
        #expect(captured.lines[0].contains("abc") == false)
    }

    @Test func unmatchedHasNoRoute() async throws {
        let captured = CapturedLogOutput()
        _ = try await send("/missing/42", to: makeResponder(captured, clock: LogTestClock()))

        let line = try onlyLine(captured)
        #expect(line["http.status"] as? Int == 404)
        #expect(line["http.route"] == nil)
        #expect(line["url.path"] as? String == "/missing/42")
    }

    @Test func sensitiveParameterRedacted() async throws {
        let captured = CapturedLogOutput()
        _ = try await send("/v1/reset/s3cr3t-value", to: makeResponder(captured, clock: LogTestClock()))

        let line = try onlyLine(captured)
        #expect(line["url.path"] as? String == "/v1/reset/[REDACTED]")
        #expect(line["http.status"] as? Int == 204)
        #expect(line["http.response.body.size"] as? Int == 0)
        #expect(captured.lines[0].contains("s3cr3t") == false)
    }

    @Test func httpErrorLogsItsStatus() async throws {
        let captured = CapturedLogOutput()
        await #expect(throws: HTTPError.self) {
            try await send("/teapot", to: makeResponder(captured, clock: LogTestClock()))
        }

        let line = try onlyLine(captured)
        #expect(line["http.status"] as? Int == 418)
        #expect(line["error.type"] as? String == "StratusHTTP.HTTPError")
    }

    @Test func otherErrorLogs500AndRethrows() async throws {
        let captured = CapturedLogOutput()
        await #expect(throws: DatabaseError.self) {
            try await send("/broken", to: makeResponder(captured, clock: LogTestClock()))
        }

        let line = try onlyLine(captured)
        #expect(line["http.status"] as? Int == 500)
        #expect(line["http.route"] as? String == "/broken")
        #expect(line["http.response.body.size"] == nil)
        #expect((line["error.type"] as? String)?.hasSuffix("DatabaseError") == true)
    }

    @Test func headRequestSendsNoBytes() async throws {
        let captured = CapturedLogOutput()
        _ = try await send("/v1/users/ann", method: .head, to: makeResponder(captured, clock: LogTestClock()))

        let line = try onlyLine(captured)
        #expect(line["http.method"] as? String == "HEAD")
        #expect(line["http.response.body.size"] as? Int == 0)
    }

    @Test func streamedBodyCounted() async throws {
        let captured = CapturedLogOutput()
        let response = try await send("/stream", to: makeResponder(captured, clock: LogTestClock()))
        #expect(captured.lines.isEmpty)

        guard case .stream(_, let producer) = response.body.storage else {
            Issue.record("expected a streamed body")
            return
        }
        let writer = CollectingWriter()
        try await producer(writer)

        let line = try onlyLine(captured)
        #expect(writer.byteCount == 8)
        #expect(line["http.response.body.size"] as? Int == 8)
        #expect(line["http.status"] as? Int == 200)
    }

    @Test func failedStreamLogsAndRethrows() async throws {
        let captured = CapturedLogOutput()
        let response = try await send("/stream-fails", to: makeResponder(captured, clock: LogTestClock()))
        guard case .stream(_, let producer) = response.body.storage else {
            Issue.record("expected a streamed body")
            return
        }
        await #expect(throws: DatabaseError.self) {
            try await producer(CollectingWriter())
        }

        let line = try onlyLine(captured)
        #expect(line["http.response.body.size"] as? Int == 3)
        #expect((line["error.type"] as? String)?.hasSuffix("DatabaseError") == true)
    }

    @Test func droppedStreamStillLogged() async throws {
        let captured = CapturedLogOutput()
        let responder = makeResponder(captured, clock: LogTestClock())
        do {
            _ = try await send("/stream", to: responder)
        }

        let line = try onlyLine(captured)
        #expect(line["http.response.body.size"] as? Int == 0)
    }
}
