import StratusHTTP
import Synchronization
import Testing

/// A malformed or unacceptable request and the response the server must send
/// before closing the connection.
struct RejectionCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let status: Int
    /// Text the error body must contain, naming the problem.
    let reason: String
    var limits = HTTPLimits()

    init(_ name: String, _ text: String, status: Int, reason: String, limits: (inout HTTPLimits) -> Void = { _ in }) {
        self.init(name, bytes: Array(text.utf8), status: status, reason: reason, limits: limits)
    }

    init(_ name: String, bytes: [UInt8], status: Int, reason: String, limits: (inout HTTPLimits) -> Void = { _ in }) {
        self.name = name
        self.bytes = bytes
        self.status = status
        self.reason = reason
        limits(&self.limits)
    }

    var testDescription: String { name }
}

private let chunkedHead = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

let rejectionCases: [RejectionCase] = [
    RejectionCase("Content-Length with Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400, reason: "Content-Length"),
    RejectionCase("two Content-Length fields", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", status: 400, reason: "Content-Length"),
    RejectionCase("Content-Length list differs", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!", status: 400, reason: "Content-Length"),
    RejectionCase("chunk size not hex", chunkedHead + "xyz\r\nhello\r\n0\r\n\r\n", status: 400, reason: "chunk size"),
    RejectionCase("chunk size empty", chunkedHead + "\r\nhello\r\n0\r\n\r\n", status: 400, reason: "no size"),
    RejectionCase("chunk size overflows", chunkedHead + "fffffffffffffffff\r\nhello\r\n0\r\n\r\n", status: 400, reason: "overflows"),
    RejectionCase("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n", status: 400, reason: "folding"),
    RejectionCase("bare LF", "GET / HTTP/1.1\nHost: a\n\n", status: 400, reason: "bare LF"),
    RejectionCase("bare CR", "GET / HTTP/1.1\rHost: a\r\n\r\n", status: 400, reason: "bare CR"),
    RejectionCase("NUL in request line", bytes: Array("GET /a".utf8) + [0] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8), status: 400, reason: "request target"),
    RejectionCase("control in method", bytes: Array("GE".utf8) + [0x01] + Array("T / HTTP/1.1\r\nHost: a\r\n\r\n".utf8), status: 400, reason: "method"),
    RejectionCase("NUL in field name", bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX-".utf8) + [0] + Array("A: b\r\n\r\n".utf8), status: 400, reason: "field name"),
    RejectionCase("NUL in field value", bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: b".utf8) + [0] + Array("c\r\n\r\n".utf8), status: 400, reason: "X-A"),
    RejectionCase("escape in field value", bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: b".utf8) + [0x1B] + Array("c\r\n\r\n".utf8), status: 400, reason: "X-A"),
    RejectionCase("space before colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n", status: 400, reason: "whitespace"),
    RejectionCase("missing Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", status: 400, reason: "Host"),
    RejectionCase("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400, reason: "Host"),
    RejectionCase("header section too large", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "x", count: 2000) + "\r\n\r\n", status: 431, reason: "header section") { $0.maxHeaderSize = 1024 },
    RejectionCase("too many fields", "GET / HTTP/1.1\r\nHost: a\r\n" + (1...11).map { "X-\($0): v\r\n" }.joined() + "\r\n", status: 431, reason: "header fields") { $0.maxHeaderCount = 10 },
    RejectionCase("target too long", "GET /" + String(repeating: "a", count: 150) + " HTTP/1.1\r\nHost: a\r\n\r\n", status: 414, reason: "request target") { $0.maxTargetLength = 128 },
    RejectionCase("request line far too long", "GET /" + String(repeating: "a", count: 1000) + " HTTP/1.1\r\nHost: a\r\n\r\n", status: 414, reason: "first line") { $0.maxTargetLength = 128 },
    RejectionCase("Content-Length over limit", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n", status: 413, reason: "Content-Length") { $0.maxBodySize = 1024 },
    RejectionCase("chunked body over limit", chunkedHead + "200\r\n" + String(repeating: "a", count: 512) + "\r\n200\r\n" + String(repeating: "b", count: 512) + "\r\n200\r\n" + String(repeating: "c", count: 512) + "\r\n0\r\n\r\n", status: 413, reason: "limit") { $0.maxBodySize = 1024 },
    RejectionCase("gzip transfer coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501, reason: "gzip"),
    RejectionCase("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505, reason: "HTTP/2.0"),
    RejectionCase("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", status: 505, reason: "HTTP/1.2"),
    RejectionCase("malformed version", "GET / HTTP/1.x\r\nHost: a\r\n\r\n", status: 400, reason: "version"),
    RejectionCase("unknown expectation", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\nhi", status: 417, reason: "200-ok"),
]

/// Echoes the request body; the rejection tests use it so that bad chunked
/// bodies reach a handler that reads them.
let echoBodyHandler: @Sendable (Request, RequestContext) async throws -> Response = { request, _ in
    let body = try await request.body.collect(upTo: 16 << 20)
    return Response(body: OutgoingBody(bytes: body))
}

@Suite("Server rejections")
struct ServerRejectionTests {
    @Test("rejection status then close", arguments: rejectionCases)
    func rejectionStatusThenClose(_ rejection: RejectionCase) async throws {
        try await withServer(configure: { $0.limits = rejection.limits }, handler: echoBodyHandler) { server in
            let client = try await server.connect()
            try await client.send(rejection.bytes)
            let (response, end, extra) = try await client.readResponseAndClose()
            #expect(response.status == rejection.status)
            #expect(response.headers["Connection"] == "close")
            #expect(response.text.contains(rejection.reason), "body: \(response.text)")
            #expect(end == .closed)
            #expect(extra.isEmpty)
        }
    }

    @Test("identical Content-Length accepted")
    func identicalContentLengthAccepted() async throws {
        try await withServer(handler: echoBodyHandler) { server in
            let client = try await server.connect()
            try await client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5, 5\r\n\r\nhello")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello")
        }
    }

    @Test("rejected request skips handler")
    func rejectedRequestSkipsHandler() async throws {
        let calls = Atomic<Int>(0)
        try await withServer(handler: { request, _ in
            calls.add(1, ordering: .relaxed)
            return Response.text(String(request.path))
        }) { server in
            let client = try await server.connect()
            try await client.send("GET /bad HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n")
            let (response, end, extra) = try await client.readResponseAndClose()
            #expect(response.status == 400)
            #expect(end == .closed)
            #expect(extra.isEmpty)
        }
        #expect(calls.load(ordering: .relaxed) == 0)
    }

    @Test("unknown expectation skips next request")
    func unknownExpectationSkipsNextRequest() async throws {
        let calls = Atomic<Int>(0)
        try await withServer(handler: { request, _ in
            calls.add(1, ordering: .relaxed)
            return Response.text(String(request.path))
        }) { server in
            let client = try await server.connect()
            try await client.send("GET /first HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\nDELETE /second HTTP/1.1\r\nHost: a\r\n\r\n")
            let (response, end, extra) = try await client.readResponseAndClose()
            #expect(response.status == 417)
            #expect(end == .closed)
            #expect(extra.isEmpty)
        }
        #expect(calls.load(ordering: .relaxed) == 0)
    }

    @Test("bad body after response")
    func badBodyAfterResponse() async throws {
        // The handler responds before reading the body. The malformed chunk
        // that follows must not produce a second response.
        try await withServer(handler: { _, _ in Response.text("early") }) { server in
            let client = try await server.connect()
            try await client.send(chunkedHead)
            let response = try await client.readResponse()
            #expect(response.status == 200)
            try await client.send("zz\r\n")
            let (end, extra) = try await client.readUntilClose()
            #expect(end == .closed)
            #expect(String(decoding: extra, as: UTF8.self) == "")
        }
    }
}
