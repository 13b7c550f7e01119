import StratusHTTP
import Testing

/// Timeouts are 1 s here, long enough that a machine busy with tests in
/// parallel still delivers each request in time. The server checks deadlines
/// every quarter of the shortest timeout, so each fires soon after. The client
/// reads with a 5 s bound, so a timeout that never fires fails the test. The
/// tests check only that a timeout does not fire early, which load cannot change.
///
/// A loaded machine can still stall the client past a timeout before it
/// sends; the server then closes the connection, rightly. An attempt whose
/// own pause was that long proves nothing, so it runs again, up to
/// `attempts` times.
@Suite("Server timeouts")
struct ServerTimeoutTests {
    static let short: Duration = .seconds(1)
    static let attempts = 5

    /// Connects and sends `text`, returning the client and whether the send
    /// ended a whole timeout after the connect, so that the server may have
    /// closed the connection as silent first.
    static func connectAndSend(_ server: TestServer, _ text: String) async throws -> (client: RawClient, late: Bool) {
        let client = try await server.connect()
        let connected = ContinuousClock.now
        let sent = (try? await client.send(text)) != nil
        return (client, !sent || ContinuousClock.now - connected >= short)
    }

    @Test("half head gets 408")
    func halfHeadGets408() async throws {
        try await withServer(configure: { $0.headerTimeout = Self.short }, handler: echoPathHandler) { server in
            for attempt in 1...Self.attempts {
                let start = ContinuousClock.now
                let (client, late) = try await Self.connectAndSend(server, "GET /slow HTTP/1.1\r\nHost: a\r\nX-Partial")
                let answer: (response: RawResponse, end: ConnectionEnd, extra: [UInt8])
                do {
                    answer = try await client.readResponseAndClose()
                } catch where late && attempt < Self.attempts {
                    continue
                }
                let elapsed = ContinuousClock.now - start
                #expect(answer.response.status == 408)
                #expect(answer.response.headers["Connection"] == "close")
                #expect(answer.end == .closed)
                #expect(answer.extra.isEmpty)
                #expect(elapsed >= Self.short)
                return
            }
        }
    }

    @Test("trickled head still times out")
    func trickledHeadStillTimesOut() async throws {
        // The header timeout runs from the first byte, so a client that keeps
        // sending a little at a time is cut off all the same.
        try await withServer(configure: { $0.headerTimeout = Self.short }, handler: echoPathHandler) { server in
            for attempt in 1...Self.attempts {
                let (client, late) = try await Self.connectAndSend(server, "GET /slow HTTP/1.1\r\n")
                try await Task.sleep(for: .milliseconds(120))  // paces the client, with nothing to await
                // On a loaded machine the pause can outlast the timeout, and
                // the server has then responded and closed: the send may fail.
                try? await client.send("Host: a\r\n")
                let answer: (response: RawResponse, end: ConnectionEnd, extra: [UInt8])
                do {
                    answer = try await client.readResponseAndClose()
                } catch where late && attempt < Self.attempts {
                    continue
                }
                #expect(answer.response.status == 408)
                #expect(answer.end == .closed)
                return
            }
        }
    }

    @Test("idle keep-alive closed")
    func idleKeepAliveClosed() async throws {
        try await withServer(configure: { $0.idleTimeout = Self.short }, handler: echoPathHandler) { server in
            let client = try await server.connect()
            // The idle time starts after the response, which is after this point.
            let start = ContinuousClock.now
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            let (end, extra) = try await client.readUntilClose()
            let elapsed = ContinuousClock.now - start
            #expect(end == .closed)
            #expect(extra.isEmpty)
            #expect(elapsed >= Self.short)
        }
    }

    @Test("silent connection closed")
    func silentConnectionClosed() async throws {
        // A new connection waits for its first request under the header timeout.
        try await withServer(configure: { $0.headerTimeout = Self.short }, handler: echoPathHandler) { server in
            let client = try await server.connect()
            let (end, extra) = try await client.readUntilClose()
            #expect(end == .closed)
            #expect(extra.isEmpty)
        }
    }

    @Test("stalled body gets 408")
    func stalledBodyGets408() async throws {
        try await withServer(configure: { $0.bodyTimeout = Self.short }, handler: echoBodyHandler) { server in
            let client = try await server.connect()
            try await client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly ten b")
            let (response, end, extra) = try await client.readResponseAndClose()
            #expect(response.status == 408)
            #expect(response.headers["Connection"] == "close")
            #expect(end == .closed)
            #expect(extra.isEmpty)
        }
    }

    @Test("timeouts leave active connections")
    func timeoutsLeaveActiveConnections() async throws {
        // A connection that keeps sending complete requests is never idle long
        // enough to be closed.
        // The idle timer starts after a response, which the server writes
        // after its request was sent: a close seen less than a timeout after
        // the previous send is early. A later one may be the machine stalling
        // this client, and it connects again, up to `attempts` times.
        try await withServer(configure: { $0.idleTimeout = Self.short; $0.headerTimeout = Self.short }, handler: echoPathHandler) { server in
            var client = try await server.connect()
            let start = ContinuousClock.now
            var index = 0
            var reconnects = 0
            var previousSend = start
            while ContinuousClock.now - start < .milliseconds(2500) && index < 10_000 {
                let send = ContinuousClock.now
                do {
                    try await client.send("GET /\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                    #expect(try await client.readResponse().text == "/\(index)")
                } catch where ContinuousClock.now - previousSend >= Self.short && reconnects < Self.attempts {
                    reconnects += 1
                    client = try await server.connect()
                    previousSend = ContinuousClock.now
                    continue
                }
                previousSend = send
                index += 1
            }
        }
    }
}

@Suite("Server connection limit")
struct ServerConnectionLimitTests {
    @Test("connection over limit closed")
    func connectionOverLimitClosed() async throws {
        try await withServer(configure: { $0.maxConnections = 2 }, handler: echoPathHandler) { server in
            let first = try await server.connect()
            let second = try await server.connect()
            for (index, client) in [first, second].enumerated() {
                try await client.send("GET /\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try await client.readResponse().text == "/\(index)")
            }

            let third = try await server.connect()
            try await third.send("GET /third HTTP/1.1\r\nHost: a\r\n\r\n")
            let (end, extra) = try await third.readUntilClose()
            #expect(end == .closed || end == .reset)
            #expect(extra.isEmpty)

            // The two admitted connections still work.
            try await first.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await first.readResponse().text == "/again")
            #expect(server.server.connectionCount == 2)
        }
    }
}
