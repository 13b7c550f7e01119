import StratusHTTP
import StratusLog
import Testing

@Suite struct RecoveryMiddlewareTests {
    struct DatabaseError: Error, CustomStringConvertible {
        var description: String { "connection to db-7 refused: password=hunter2" }
    }

    private func makeResponder() -> some HTTPResponder {
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: RecoveryMiddleware())
        router.get("/teapot") { _, _ -> String in
            throw HTTPError(HTTPStatus(code: 418), message: "short and stout", headers: ["X-Kind": "teapot"])
        }
        router.get("/broken") { _, _ -> String in
            throw DatabaseError()
        }
        return router.buildResponder()
    }

    @Test func httpErrorBecomesItsResponse() async throws {
        let response = try await send(.get, "/teapot", headers: ["X-Request-Id": "req-1"], to: makeResponder())

        #expect(response.status.code == 418)
        #expect(response.bodyText == "short and stout\n")
        #expect(response.headers["X-Kind"] == "teapot")
        #expect(response.headers["X-Request-Id"] == "req-1")
    }

    @Test func otherErrorBecomes500WithoutDetail() async throws {
        let recorder = LogRecorder()
        let context = RequestContext(logger: recorder.makeLogger())
        let response = try await send(
            .get, "/broken?page=2", headers: ["X-Request-Id": "req-2"], to: makeResponder(), context: context
        )

        #expect(response.status == .internalServerError)
        #expect(response.bodyText == "Internal Server Error (request id req-2)\n")
        #expect(!response.bodyText.contains("db-7"))
        #expect(!response.bodyText.contains("hunter2"))
        #expect(response.headers["X-Request-Id"] == "req-2")
    }

    @Test func otherErrorIsLoggedWithRequestID() async throws {
        let recorder = LogRecorder()
        let context = RequestContext(logger: recorder.makeLogger())
        _ = try await send(.get, "/broken?page=2", headers: ["X-Request-Id": "req-3"], to: makeResponder(), context: context)

        try #require(recorder.events.count == 1)
        let event = recorder.events[0]
        #expect(event.level == .error)
        #expect(event.metadata["request.id"] == "req-3")
        #expect(event.metadata["http.method"] == "GET")
        #expect(event.metadata["http.target"] == "/broken?page=2")
        #expect(event.metadata["error"] == "connection to db-7 refused: password=hunter2")
    }

    @Test func httpErrorIsNotLogged() async throws {
        let recorder = LogRecorder()
        let context = RequestContext(logger: recorder.makeLogger())
        _ = try await send(.get, "/teapot", to: makeResponder(), context: context)

        #expect(recorder.events.isEmpty)
    }

    @Test func bodyOmitsMissingRequestID() async throws {
        let router = Router()
        router.add(middleware: RecoveryMiddleware())
        router.get("/broken") { _, _ -> String in throw DatabaseError() }
        let response = try await send(.get, "/broken", to: router.buildResponder())

        #expect(response.status == .internalServerError)
        #expect(response.bodyText == "Internal Server Error\n")
    }
}
