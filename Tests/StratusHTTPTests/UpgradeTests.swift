import StratusHTTP
import Testing

/// An upgrade handler that echoes every chunk until the client closes.
private let echoUpgrade: @Sendable (Request, RequestContext) async throws -> Response = { request, _ in
    guard request.headers.containsToken("upgrade", in: "Connection") else {
        return Response.text("no upgrade\n", status: .badRequest)
    }
    return Response.switchingProtocols(headers: ["Upgrade": "echo"]) { connection in
        while let bytes = try? await connection.read() {
            try? await connection.write(bytes)
        }
    }
}

@Suite("Protocol upgrade")
struct UpgradeTests {
    @Test("server hands over connection")
    func serverHandsOverConnection() async throws {
        try await withServer(handler: echoUpgrade) { server in
            let client = try await server.connect()
            // The first bytes of the new protocol travel with the request head.
            try await client.send("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly")
            let response = try await client.readResponse(method: "HEAD")
            #expect(response.status == 101)
            #expect(response.headers["Upgrade"] == "echo")
            #expect(response.headers["Connection"] == "Upgrade")
            #expect(server.server.connectionCount == 0)
            try await client.send("-late")
            client.shutdownWrite()
            let (_, bytes) = try await client.readUntilClose()
            #expect(String(decoding: bytes, as: UTF8.self) == "early-late")
        }
    }

    @Test("client upgrade returns raw connection")
    func clientUpgradeReturnsRawConnection() async throws {
        try await withServer(handler: echoUpgrade) { server in
            let client = HTTPClient()
            defer { client.shutdown() }
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/ws", headers: ["Connection": "Upgrade", "Upgrade": "echo"])
            guard case .switched(let head, let connection) = try await client.upgrade(request) else {
                Issue.record("the server did not switch protocols")
                return
            }
            #expect(head.status == .switchingProtocols)
            try await connection.write(Array("ping".utf8))
            var received: [UInt8] = []
            while received.count < 4, let bytes = try await connection.read() {
                received += bytes
            }
            #expect(String(decoding: received, as: UTF8.self) == "ping")
            await connection.close()
        }
    }

    @Test("client upgrade refused returns response")
    func clientUpgradeRefusedReturnsResponse() async throws {
        try await withServer(handler: echoUpgrade) { server in
            let client = HTTPClient()
            defer { client.shutdown() }
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/ws", headers: ["Upgrade": "echo"])
            guard case .response(let response) = try await client.upgrade(request) else {
                Issue.record("the server switched protocols without Connection: Upgrade")
                return
            }
            #expect(response.status == .badRequest)
            #expect(try await response.body.collect(upTo: 100) == Array("no upgrade\n".utf8))
        }
    }

    @Test("upgrade after unread body closes")
    func upgradeAfterUnreadBodyCloses() async throws {
        try await withServer(handler: echoUpgrade) { server in
            let client = try await server.connect()
            // The body is declared but not sent, so the bytes after the head
            // cannot be told apart from it and the server must not switch.
            try await client.send("POST /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\nContent-Length: 10\r\n\r\n")
            let (response, end, _) = try await client.readResponseAndClose(method: "HEAD")
            #expect(response.status == 101)
            #expect(end == .closed || end == .reset)
        }
    }
}
