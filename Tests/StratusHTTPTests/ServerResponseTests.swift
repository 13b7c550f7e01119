import Foundation
import StratusHTTP
import Testing

private struct DatabaseUnavailable: Error {}

@Suite("Server responses")
struct ServerResponseTests {
    @Test("HEAD matches GET length")
    func headMatchesGetLength() async throws {
        let router = Router()
        router.get("/hello") { _, _ in "hello, world" }
        try await withServer(responder: router.buildResponder()) { server in
            let client = try await server.connect()
            try await client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let get = try await client.readResponse()
            try await client.send("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try await client.readResponse(method: "HEAD")
            // A body after the HEAD response would corrupt this next response.
            try await client.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let after = try await client.readResponse()

            #expect(get.status == 200)
            #expect(get.text == "hello, world")
            #expect(head.status == 200)
            #expect(head.headers["Content-Length"] == get.headers["Content-Length"])
            #expect(head.headers["Content-Length"] == "12")
            #expect(after.status == 200)
            #expect(after.text == "hello, world")
        }
    }

    @Test("HEAD of streamed response", arguments: [nil, 5] as [Int?])
    func headOfStreamedResponse(length: Int?) async throws {
        try await withServer(handler: { _, _ in
            Response(body: OutgoingBody(length: length) { writer in try await writer.write("hello") })
        }) { server in
            let client = try await server.connect()
            try await client.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try await client.readResponse(method: "HEAD")
            try await client.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n")
            let next = try await client.readResponse()
            #expect(head.status == 200)
            #expect(next.status == 200)
            #expect(next.text == "hello")
        }
    }

    @Test("no-content statuses omit body", arguments: [204, 304])
    func noContentStatusesOmitBody(code: Int) async throws {
        try await withServer(handler: { request, _ in
            if request.path == "/empty" {
                return Response(status: HTTPStatus(code: code), body: OutgoingBody(string: "must not be sent"))
            }
            return Response.text("next")
        }) { server in
            let client = try await server.connect()
            try await client.send("GET /empty HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n")
            let empty = try await client.readResponse()
            let next = try await client.readResponse()
            #expect(empty.status == code)
            #expect(empty.headers["Content-Length"] == nil)
            #expect(empty.headers["Transfer-Encoding"] == nil)
            #expect(next.text == "next")
        }
    }

    @Test("Date header is IMF-fixdate")
    func dateHeaderIsIMFFixdate() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await client.readResponse()
            let date = try #require(response.headers["Date"])
            #expect(response.headers.values(for: "Date").count == 1)
            #expect(date.wholeMatch(of: /(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT/) != nil, "Date: \(date)")

            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            let parsed = try #require(formatter.date(from: date))
            #expect(abs(parsed.timeIntervalSinceNow) < 5)
        }
    }

    @Test("handler Date header replaced")
    func handlerDateHeaderReplaced() async throws {
        try await withServer(handler: { _, _ in
            Response(headers: ["Date": "yesterday", "Content-Length": "999"], body: OutgoingBody(string: "abc"))
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.headers.values(for: "Date").count == 1)
            #expect(response.headers["Date"] != "yesterday")
            #expect(response.headers.values(for: "Content-Length") == ["3"])
            #expect(response.text == "abc")
        }
    }

    @Test("thrown HTTPError sets status")
    func thrownHTTPErrorSetsStatus() async throws {
        try await withServer(handler: { _, _ in
            throw HTTPError(.forbidden, message: "no access to this item")
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 403)
            #expect(response.text.contains("no access to this item"))
        }
    }

    @Test("other error becomes 500")
    func otherErrorBecomes500() async throws {
        try await withServer(handler: { _, _ in
            throw DatabaseUnavailable()
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let first = try await client.readResponse()
            let second = try await client.readResponse()
            #expect(first.status == 500)
            #expect(!first.text.contains("DatabaseUnavailable"))
            #expect(second.status == 500)
        }
    }

    @Test("header with CRLF becomes 500", arguments: ["a\r\nSet-Cookie: injected=1", "a\nb", "a\rb", "a\u{0}b"])
    func headerWithCRLFBecomes500(value: String) async throws {
        try await withServer(handler: { _, _ in
            Response(headers: ["X-Echo": value], body: OutgoingBody(string: "should not be sent"))
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 500)
            #expect(response.headers["Set-Cookie"] == nil)
            #expect(response.headers["X-Echo"] == nil)
            #expect(!response.text.contains("should not be sent"))
        }
    }

    @Test("invalid header name becomes 500")
    func invalidHeaderNameBecomes500() async throws {
        try await withServer(handler: { _, _ in
            Response(headers: ["Bad Name": "x"], body: OutgoingBody(string: "body"))
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 500)
        }
    }
}
