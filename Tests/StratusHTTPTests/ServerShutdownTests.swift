import Glibc
import StratusHTTP
import StratusLog
import StratusNet
import StratusTestSupport
import Testing

@Suite("Server shutdown")
struct ServerShutdownTests {
    @Test("shutdown finishes in-flight request")
    func shutdownFinishesInFlightRequest() async throws {
        let started = Gate()
        let release = Gate()
        try await withServer(handler: { request, _ in
            if request.path == "/slow" {
                started.open()
                await release.wait()
            }
            return Response.text(String(request.path))
        }) { server in
            let busy = try await server.connect()
            let idle = try await server.connect()
            try await idle.send("GET /quick HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try await idle.readResponse().text == "/quick")
            try await busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            await started.wait()

            let shutdown = Task { await server.server.shutdown(gracePeriod: .seconds(30)) }

            // The idle connection closes at once.
            let (idleEnd, idleExtra) = try await idle.readUntilClose()
            #expect(idleEnd == .closed)
            #expect(idleExtra.isEmpty)

            // The listening socket is closed, so new connections are refused.
            do {
                _ = try await server.connect()
                Issue.record("a connection was accepted after shutdown began")
            } catch let error as SystemError {
                #expect(error.errno == ECONNREFUSED)
            }

            // The request in flight still gets its response, then the connection closes.
            release.open()
            let (response, end, _) = try await busy.readResponseAndClose()
            #expect(response.status == 200)
            #expect(response.text == "/slow")
            #expect(response.headers["Connection"] == "close")
            #expect(end == .closed)

            try await value(of: shutdown, within: .seconds(5), what: "shutdown")
            #expect(server.server.connectionCount == 0)
        }
    }

    @Test("shutdown serves new connection's request")
    func shutdownServesNewConnection() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let fresh = try await server.connect()
            let shutdown = Task { await server.server.shutdown(gracePeriod: .seconds(30)) }
            while !server.server.isShuttingDown {
                await Task.yield()
            }

            // The client connected before the shutdown, so it gets a response, and then the connection closes.
            try await fresh.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n")
            let (response, end, _) = try await fresh.readResponseAndClose()
            #expect(response.status == 200)
            #expect(response.text == "/first")
            #expect(response.headers["Connection"] == "close")
            #expect(end == .closed)
            try await value(of: shutdown, within: .seconds(5), what: "shutdown")
        }
    }

    @Test("shutdown serves queued connection")
    func shutdownServesQueuedConnection() async throws {
        try await withServer(handler: echoPathHandler) { server in
            // While the server accepts nothing, the kernel completes the
            // handshake and queues the connection, and the request waits in its buffer.
            await server.server.pauseAccepting()
            let queued = try await server.connect()
            try await queued.send("GET /queued HTTP/1.1\r\nHost: a\r\n\r\n")
            let shutdown = Task { await server.server.shutdown(gracePeriod: .seconds(30)) }

            let (response, end, _) = try await queued.readResponseAndClose()
            #expect(response.status == 200)
            #expect(response.text == "/queued")
            #expect(response.headers["Connection"] == "close")
            #expect(end == .closed)
            try await value(of: shutdown, within: .seconds(5), what: "shutdown")
        }
    }

    @Test("shutdown closes a silent new connection")
    func shutdownClosesSilentConnection() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let silent = try await server.connect()
            let shutdown = Task { await server.server.shutdown(gracePeriod: .seconds(30)) }

            // A connection that sends nothing delays the shutdown by about a
            // second, not by the grace period.
            try await value(of: shutdown, within: .seconds(10), what: "shutdown")
            let (end, bytes) = try await silent.readUntilClose()
            #expect(end == .closed)
            #expect(bytes.isEmpty)
        }
    }

    @Test("grace period cuts off handler")
    func gracePeriodCutsOffHandler() async throws {
        let started = Gate()
        let release = Gate()
        defer { release.open() }
        try await withServer(handler: { _, _ in
            started.open()
            await release.wait()
            return Response.text("too late")
        }) { server in
            let client = try await server.connect()
            try await client.send("GET /forever HTTP/1.1\r\nHost: a\r\n\r\n")
            await started.wait()

            let begin = ContinuousClock.now
            let shutdown = Task { await server.server.shutdown(gracePeriod: .milliseconds(200)) }
            try await value(of: shutdown, within: .seconds(5), what: "shutdown")
            let elapsed = ContinuousClock.now - begin

            let (end, extra) = try await client.readUntilClose()
            #expect(end == .closed || end == .reset)
            #expect(extra.isEmpty)
            #expect(elapsed >= .milliseconds(150))
            #expect(server.server.connectionCount == 0)
        }
    }

    @Test("shutdown twice returns")
    func shutdownTwiceReturns() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let first = Task { await server.server.shutdown(gracePeriod: .seconds(1)) }
            let second = Task { await server.server.shutdown(gracePeriod: .seconds(1)) }
            try await value(of: first, within: .seconds(5), what: "first shutdown")
            try await value(of: second, within: .seconds(5), what: "second shutdown")
        }
    }

    @Test("run returns on cancel")
    func runReturnsOnCancel() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { group.shutdown() }
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: ClosureResponder(echoPathHandler),
            group: group,
            logger: quietLogger
        )
        try await server.start()
        let port = try #require(server.localAddress?.port)
        let running = Task { () -> (any Error)? in
            do {
                try await server.run(gracePeriod: .seconds(1))
                return nil
            } catch {
                return error
            }
        }

        let client = try await RawClient.connect(port: port)
        try await client.send("GET /up HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await client.readResponse().text == "/up")

        running.cancel()
        let error = try await value(of: running, within: .seconds(5), what: "run after cancel")
        #expect(error == nil)
        let (end, _) = try await client.readUntilClose()
        #expect(end == .closed)
    }
}
