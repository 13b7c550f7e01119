import StratusHTTP
import Synchronization
import Testing

/// `count` bytes of a repeating pattern, so misplaced bytes show up.
func patternBytes(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
}

/// Frames `body` as chunks of at most `chunkSize` bytes, with an extension
/// on each size line and a trailer field.
func chunkedEncoding(_ body: [UInt8], chunkSize: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    var offset = 0
    while offset < body.count {
        let end = min(body.count, offset + chunkSize)
        bytes += Array("\(String(end - offset, radix: 16));part=\(offset)\r\n".utf8)
        bytes += body[offset..<end]
        bytes += Array("\r\n".utf8)
        offset = end
    }
    bytes += Array("0\r\nX-Checksum: none\r\n\r\n".utf8)
    return bytes
}

@Suite("Server bodies")
struct ServerBodyTests {
    @Test("Content-Length body echoed")
    func contentLengthBodyEchoed() async throws {
        let body = patternBytes(300_000)
        try await withServer(handler: echoBodyHandler) { server in
            let client = try await server.connect()
            try await client.send(Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.headers["Content-Length"] == "\(body.count)")
            #expect(response.body == body)
        }
    }

    @Test("chunked body echoed")
    func chunkedBodyEchoed() async throws {
        let body = patternBytes(200_000)
        try await withServer(handler: echoBodyHandler) { server in
            let client = try await server.connect()
            try await client.send(Array("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + chunkedEncoding(body, chunkSize: 7_777))
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == body)
            // The connection stays usable after the trailers.
            try await client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok")
            #expect(try await client.readResponse().text == "ok")
        }
    }

    @Test("chunked response decodes")
    func chunkedResponseDecodes() async throws {
        try await withServer(handler: { _, _ in
            Response(body: OutgoingBody { writer in
                try await writer.write("first,")
                try await writer.write(patternBytes(100_000))
                try await writer.write(",last")
            })
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.isChunked)
            #expect(response.headers["Content-Length"] == nil)
            #expect(response.body == Array("first,".utf8) + patternBytes(100_000) + Array(",last".utf8))
            // The last chunk ended the response, so the connection is reusable.
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await client.readResponse().bodyCount == 100_011)
        }
    }

    @Test("streamed response with length")
    func streamedResponseWithLength() async throws {
        try await withServer(handler: { _, _ in
            Response(body: OutgoingBody(length: 10) { writer in
                try await writer.write("01234")
                try await writer.write("56789")
            })
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await client.readResponse()
            #expect(!response.isChunked)
            #expect(response.headers["Content-Length"] == "10")
            #expect(response.text == "0123456789")
        }
    }

    @Test("short streamed body closes")
    func shortStreamedBodyCloses() async throws {
        try await withServer(handler: { _, _ in
            Response(body: OutgoingBody(length: 10) { writer in try await writer.write("01234") })
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            // The client must see an incomplete body, not a complete response.
            await #expect(throws: RawClientError.self) {
                _ = try await client.readResponse()
            }
        }
    }

    @Test("HTTP/1.0 stream ends at close")
    func http10StreamEndsAtClose() async throws {
        try await withServer(handler: { _, _ in
            Response(body: OutgoingBody { writer in
                try await writer.write("no ")
                try await writer.write("length")
            })
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try await client.readResponse()
            #expect(!response.isChunked)
            #expect(response.headers["Content-Length"] == nil)
            #expect(response.text == "no length")
        }
    }

    @Test("100-continue when body read")
    func continueWhenBodyRead() async throws {
        try await withServer(handler: echoBodyHandler) { server in
            let client = try await server.connect()
            try await client.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try await client.readResponse()
            #expect(interim.status == 100)
            try await client.send("hello")
            let final = try await client.readResponse()
            #expect(final.status == 200)
            #expect(final.text == "hello")
            #expect(final.headers["Connection"] == nil)
        }
    }

    @Test("no 100-continue when unread")
    func noContinueWhenUnread() async throws {
        try await withServer(handler: { _, _ in
            Response(status: HTTPStatus(code: 401), body: OutgoingBody(string: "log in first"))
        }) { server in
            let client = try await server.connect()
            try await client.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let (response, end, extra) = try await client.readResponseAndClose()
            // The client never sent its body, so the server cannot find the
            // next request and closes.
            #expect(response.status == 401)
            #expect(response.headers["Connection"] == "close")
            #expect(end == .closed)
            #expect(extra.isEmpty)
        }
    }

    @Test("unread small body discarded")
    func unreadSmallBodyDiscarded() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let client = try await server.connect()
            try await client.send(Array("POST /first HTTP/1.1\r\nHost: a\r\nContent-Length: 20000\r\n\r\n".utf8) + patternBytes(20_000))
            let first = try await client.readResponse()
            #expect(first.text == "/first")
            #expect(first.headers["Connection"] == nil)
            try await client.send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await client.readResponse().text == "/second")
        }
    }

    @Test("unread large body closes")
    func unreadLargeBodyCloses() async throws {
        try await withServer(configure: { $0.maxDiscardedBody = 1024 }, handler: echoPathHandler) { server in
            let client = try await server.connect()
            try await client.send(Array("POST /first HTTP/1.1\r\nHost: a\r\nContent-Length: 8192\r\n\r\n".utf8))
            let first = try await client.readResponse()
            #expect(first.text == "/first")
            try await client.send(patternBytes(8192))
            let (end, extra) = try await client.readUntilClose()
            #expect(end == .closed || end == .reset)
            #expect(extra.isEmpty)
        }
    }

    @Test("body over limit reaches handler")
    func bodyOverLimitReachesHandler() async throws {
        let seen = Mutex<String?>(nil)
        try await withServer(configure: { $0.limits.maxBodySize = 1000 }, handler: { request, _ in
            do {
                _ = try await request.body.collect(upTo: 1 << 20)
                return Response.text("complete")
            } catch let error as HTTPError {
                seen.withLock { $0 = "\(error.status.code)" }
                throw error
            }
        }) { server in
            let client = try await server.connect()
            try await client.send(Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + chunkedEncoding(patternBytes(3000), chunkSize: 600))
            let (response, end, _) = try await client.readResponseAndClose()
            #expect(response.status == 413)
            #expect(end == .closed)
        }
        #expect(seen.withLock { $0 } == "413")
    }
}
