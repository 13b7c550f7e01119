@testable import StratusHTTP
import StratusLog
import Testing

@Suite struct RequestIDMiddlewareTests {
    /// A router whose `/echo` route returns the id from the context, from the
    /// request header and from the logger metadata.
    private func makeResponder() -> some HTTPResponder {
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.get("/echo") { request, context in
            let header = request.headers["X-Request-Id"] ?? "-"
            let logged = context.logger[metadataKey: "request.id"]?.description ?? "-"
            return "\(context.requestID) \(header) \(logged)"
        }
        return router.buildResponder()
    }

    /// Sends to `/echo` with a logger that keeps its metadata.
    private func echo(headers: HTTPFields) async throws -> Response {
        let context = RequestContext(logger: LogRecorder().makeLogger())
        return try await send(.get, "/echo", headers: headers, to: makeResponder(), context: context)
    }

    @Test(arguments: ["abc", "a.b_c:d-E-9", String(repeating: "x", count: 128)])
    func validIDIsKept(id: String) async throws {
        let response = try await echo(headers: ["X-Request-Id": id])

        #expect(response.headers["X-Request-Id"] == id)
        #expect(response.bodyText == "\(id) \(id) \(id)")
    }

    @Test(arguments: [
        "",
        String(repeating: "x", count: 129),
        "has space",
        "quote\"d",
        "line\nbreak",
        "slash/id",
        "ünïcode",
    ])
    func invalidIDIsReplaced(id: String) async throws {
        let response = try await echo(headers: ["X-Request-Id": id])
        let generated = try #require(response.headers["X-Request-Id"])

        #expect(generated != id)
        #expect(response.bodyText == "\(generated) \(generated) \(generated)")
    }

    @Test func repeatedHeaderIsReplaced() async throws {
        let headers = HTTPFields([HTTPField(name: "X-Request-Id", value: "a"), HTTPField(name: "x-request-id", value: "b")])
        let response = try await echo(headers: headers)
        let generated = try #require(response.headers["X-Request-Id"])

        #expect(generated != "a")
        #expect(generated != "b")
    }

    @Test func generatedIDsAreUniqueAndValid() async throws {
        let responder = makeResponder()
        var seen: Set<String> = []
        for _ in 0..<100 {
            let response = try await send(.get, "/echo", to: responder)
            let id = try #require(response.headers["X-Request-Id"])
            #expect(id.wholeMatch(of: /[0-9a-f]{16}-[0-9a-f]+/) != nil)
            seen.insert(id)
        }
        #expect(seen.count == 100)
    }

    @Test func idReachesThrownHTTPError() async throws {
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.get("/fail") { _, _ -> String in throw HTTPError(.conflict) }
        let responder = router.buildResponder()

        await #expect {
            try await send(.get, "/fail", headers: ["X-Request-Id": "req-9"], to: responder)
        } throws: { error in
            (error as? HTTPError)?.headers["X-Request-Id"] == "req-9"
        }
    }

    @Test func idOnNotFound() async throws {
        let response = try await send(.get, "/missing", headers: ["X-Request-Id": "req-404"], to: makeResponder())

        #expect(response.status == .notFound)
        #expect(response.headers["X-Request-Id"] == "req-404")
    }
}

@Suite struct RequestIDGeneratorTests {
    @Test func idsArePrefixAndHexCounter() {
        let generator = RequestIDGenerator(prefix: 0x00ab_cdef_0123_4567)
        let ids = (0..<17).map { _ in generator.next() }
        #expect(ids.first == "00abcdef01234567-1")
        #expect(ids[9] == "00abcdef01234567-a")
        #expect(ids[15] == "00abcdef01234567-10")
        #expect(ids.last == "00abcdef01234567-11")
    }

    @Test func idsMatchRadixFormatting() {
        let generator = RequestIDGenerator(prefix: .max)
        for expected in 1...300 {
            #expect(generator.next() == "ffffffffffffffff-" + String(expected, radix: 16))
        }
    }
}
