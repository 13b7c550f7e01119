import StratusHTTP
import Testing

@Suite("Server keep-alive and pipelining")
struct ServerKeepAliveTests {
    @Test("sequential requests share connection")
    func sequentialRequestsShareConnection() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let client = try await server.connect()
            for index in 0..<5 {
                try await client.send("GET /request/\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                let response = try await client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "/request/\(index)")
                #expect(response.headers["Connection"] == nil)
            }
            #expect(server.server.connectionCount == 1)
        }
    }

    @Test("pipelined responses keep order")
    func pipelinedResponsesKeepOrder() async throws {
        try await withServer(handler: { request, _ in
            if request.path == "/slow" {
                try await Task.sleep(for: .milliseconds(100))
            }
            return Response.text(String(request.path))
        }) { server in
            let client = try await server.connect()
            try await client.send(
                "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /third HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            )
            var paths: [String] = []
            for _ in 0..<3 {
                paths.append(try await client.readResponse().text)
            }
            #expect(paths == ["/slow", "/second", "/third"])
        }
    }

    @Test("pipelined requests with bodies")
    func pipelinedRequestsWithBodies() async throws {
        try await withServer(handler: echoBodyHandler) { server in
            let client = try await server.connect()
            try await client.send(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\none"
                    + "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
                    + "\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nthree"
            )
            var bodies: [String] = []
            for _ in 0..<3 {
                bodies.append(try await client.readResponse().text)
            }
            #expect(bodies == ["one", "two", "three"])
        }
    }

    @Test("Connection close closes")
    func connectionCloseCloses() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let client = try await server.connect()
            try await client.send("GET /bye HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            let (response, end, extra) = try await client.readResponseAndClose()
            #expect(response.status == 200)
            #expect(response.text == "/bye")
            #expect(response.headers["Connection"] == "close")
            #expect(end == .closed)
            #expect(extra.isEmpty)
        }
    }

    @Test("HTTP/1.0 closes by default")
    func http10ClosesByDefault() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let client = try await server.connect()
            try await client.send("GET /old HTTP/1.0\r\n\r\n")
            let (response, end, extra) = try await client.readResponseAndClose()
            #expect(response.status == 200)
            #expect(response.text == "/old")
            #expect(response.headers["Connection"] == "close")
            #expect(end == .closed)
            #expect(extra.isEmpty)
        }
    }

    @Test("HTTP/1.0 keep-alive stays open")
    func http10KeepAliveStaysOpen() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let client = try await server.connect()
            for index in 0..<3 {
                try await client.send("GET /old/\(index) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try await client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "/old/\(index)")
                // An HTTP/1.0 client keeps the connection only when the response contains keep-alive.
                #expect(response.headers["Connection"]?.lowercased() == "keep-alive")
            }
        }
    }

    @Test("handler Connection close honored")
    func handlerConnectionCloseHonored() async throws {
        try await withServer(handler: { _, _ in
            Response(headers: ["Connection": "close"], body: OutgoingBody(string: "done"))
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let (response, end, _) = try await client.readResponseAndClose()
            #expect(response.text == "done")
            #expect(response.headers.values(for: "Connection") == ["close"])
            #expect(end == .closed)
        }
    }

    @Test("client half-close gets response")
    func clientHalfCloseGetsResponse() async throws {
        try await withServer(handler: echoPathHandler) { server in
            let client = try await server.connect()
            try await client.send("GET /last HTTP/1.1\r\nHost: a\r\n\r\n")
            client.shutdownWrite()
            let (response, end, _) = try await client.readResponseAndClose()
            #expect(response.text == "/last")
            #expect(end == .closed)
        }
    }

    @Test("loops spread connections")
    func loopsSpreadConnections() async throws {
        try await withServer(loopCount: 2, handler: echoPathHandler) { server in
            var clients: [RawClient] = []
            for index in 0..<8 {
                let client = try await server.connect()
                try await client.send("GET /\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try await client.readResponse().text == "/\(index)")
                clients.append(client)
            }
            #expect(server.server.connectionCount == 8)
        }
    }
}
