import StratusHTTP
import StratusTestSupport
import Testing

@Suite("Server streamed response cancellation")
struct ServerStreamingCancelTests {
    /// A handler whose streamed body writes one chunk and then waits until
    /// its task is cancelled, which opens `cancelled` and ends the body.
    private static func waitingHandler(started: Gate, cancelled: Gate) -> @Sendable (Request, RequestContext) async throws -> Response {
        { _, _ in
            Response(body: OutgoingBody { writer in
                try await writer.write("first\n")
                started.open()
                await withTaskCancellationHandler {
                    await cancelled.wait()
                } onCancel: {
                    cancelled.open()
                }
            })
        }
    }

    @Test("client close cancels producer")
    func clientCloseCancelsProducer() async throws {
        let started = Gate()
        let cancelled = Gate()
        try await withServer(handler: Self.waitingHandler(started: started, cancelled: cancelled)) { server in
            var client: RawClient? = try await server.connect()
            try await client?.send("GET /watch HTTP/1.1\r\nHost: a\r\n\r\n")
            await started.wait()

            client = nil
            let wait = Task { await cancelled.wait() }
            try await value(of: wait, within: .seconds(10), what: "cancellation of the producer after the client closed")
        }
    }

    @Test("client half-close cancels producer")
    func clientHalfCloseCancelsProducer() async throws {
        let started = Gate()
        let cancelled = Gate()
        try await withServer(handler: Self.waitingHandler(started: started, cancelled: cancelled)) { server in
            let client = try await server.connect()
            try await client.send("GET /watch HTTP/1.1\r\nHost: a\r\n\r\n")
            await started.wait()

            client.shutdownWrite()
            let wait = Task { await cancelled.wait() }
            try await value(of: wait, within: .seconds(10), what: "cancellation of the producer after the client half-closed")
            let (end, bytes) = try await client.readUntilClose()
            #expect(end == .closed)
            #expect(String(decoding: bytes, as: UTF8.self).contains("first\n"))
        }
    }

    /// A client that half-closes while its chunked request body is
    /// unfinished gets the end of the streamed response and then a closed
    /// connection, although the response head promised keep-alive.
    @Test("client half-close mid-body closes connection")
    func clientHalfCloseMidBodyClosesConnection() async throws {
        let started = Gate()
        let cancelled = Gate()
        try await withServer(handler: Self.waitingHandler(started: started, cancelled: cancelled)) { server in
            let client = try await server.connect()
            try await client.send("POST /watch HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            await started.wait()

            client.shutdownWrite()
            let (end, bytes) = try await client.readUntilClose()
            #expect(end == .closed)
            #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("0\r\n\r\n"), "the response ends with its last chunk")
        }
    }
}
