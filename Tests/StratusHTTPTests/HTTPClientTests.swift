import Foundation
import Glibc
import StratusHTTP
import StratusNet
import StratusTestSupport
import Testing

@Suite("HTTPClient against HTTPServer")
struct HTTPClientTests {
    let echo = ClosureResponder { request, _ in
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: HTTPFields = ["X-Method": request.method.rawValue, "X-Target": request.head.target]
        if let encoding = request.headers["Transfer-Encoding"] {
            headers.append("X-Request-Transfer-Encoding", encoding)
        }
        return Response(status: .ok, headers: headers, body: OutgoingBody(bytes: body))
    }

    @Test func getReturnsStatusAndBody() async throws {
        try await withTestServer(responder: echo) { _, port in
            let client = HTTPClient()
            let (response, body) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello?x=1"), collectingUpTo: 1024)
            #expect(response.status == .ok)
            #expect(response.headers["X-Target"] == "/hello?x=1")
            #expect(body.isEmpty)
        }
    }

    @Test func keepAliveReusesConnection() async throws {
        try await withTestServer(responder: echo) { server, port in
            let client = HTTPClient()
            for _ in 0..<5 {
                let (response, _) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), collectingUpTo: 1024)
                #expect(response.status == .ok)
            }
            #expect(client.openConnectionCount(host: "127.0.0.1", port: port) == 1)
            #expect(server.connectionCount == 1)
        }
    }

    @Test func postSendsFixedBody() async throws {
        try await withTestServer(responder: echo) { _, port in
            let client = HTTPClient()
            let request = HTTPClientRequest(method: .post, url: "http://127.0.0.1:\(port)/items", body: OutgoingBody(string: "payload"))
            let (response, body) = try await client.execute(request, collectingUpTo: 1024)
            #expect(response.headers["X-Method"] == "POST")
            #expect(String(decoding: body, as: UTF8.self) == "payload")
        }
    }

    @Test func streamedRequestBodyIsChunked() async throws {
        try await withTestServer(responder: echo) { _, port in
            let client = HTTPClient()
            let body = OutgoingBody { writer in
                for part in ["one ", "two ", "three"] {
                    try await writer.write(part)
                }
            }
            let request = HTTPClientRequest(method: .put, url: "http://127.0.0.1:\(port)/", body: body)
            let (response, received) = try await client.execute(request, collectingUpTo: 1024)
            #expect(response.headers["X-Request-Transfer-Encoding"] == "chunked")
            #expect(String(decoding: received, as: UTF8.self) == "one two three")
        }
    }

    @Test func slowUploadOutlastsTimeout() async throws {
        try await withTestServer(responder: echo) { _, port in
            let client = HTTPClient()
            // The upload lasts twice the timeout, in parts 100 ms apart.
            // Each part restarts the wait for the response, so only a stall
            // of nearly the whole timeout between two parts could fail it.
            let timeout = Duration.seconds(2)
            let clock = ContinuousClock()
            let start = clock.now
            let body = OutgoingBody { writer in
                var index = 0
                while clock.now - start < timeout * 2 {
                    if index > 0 {
                        try await Task.sleep(for: .milliseconds(100))  // paces the upload, with nothing to await
                    }
                    try await writer.write("part \(index);")
                    index += 1
                }
            }
            let request = HTTPClientRequest(method: .post, url: "http://127.0.0.1:\(port)/upload", body: body)
            let (response, received) = try await client.execute(request, timeout: timeout, collectingUpTo: 1 << 16)
            #expect(response.status == .ok)
            #expect(clock.now - start > timeout * 2)
            let parts = String(decoding: received, as: UTF8.self).split(separator: ";")
            #expect(parts.count > 2)
            #expect(parts.enumerated().allSatisfy { $0.element == "part \($0.offset)" })
        }
    }

    @Test func chunkedResponseIsDecoded() async throws {
        let responder = ClosureResponder { _, _ in
            Response(body: OutgoingBody { writer in
                for index in 0..<100 {
                    try await writer.write("line \(index)\n")
                }
            })
        }
        try await withTestServer(responder: responder) { _, port in
            let client = HTTPClient()
            let (response, body) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), collectingUpTo: 1 << 20)
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            let lines = String(decoding: body, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 100)
            #expect(lines.last == "line 99")
        }
    }

    @Test func headResponseHasNoBody() async throws {
        let responder = ClosureResponder { _, _ in Response.text("twelve bytes") }
        try await withTestServer(responder: responder) { _, port in
            let client = HTTPClient()
            let (response, body) = try await client.execute(HTTPClientRequest(method: .head, url: "http://127.0.0.1:\(port)/"), collectingUpTo: 1024)
            #expect(response.headers["Content-Length"] == "12")
            #expect(body.isEmpty)
            // The connection is still in sync: a GET on it works.
            let (_, getBody) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), collectingUpTo: 1024)
            #expect(getBody.count == 12)
            #expect(client.openConnectionCount(host: "127.0.0.1", port: port) == 1)
        }
    }

    @Test func connectionCloseIsNotReused() async throws {
        let responder = ClosureResponder { _, _ in
            Response(status: .ok, headers: ["Connection": "close"], body: OutgoingBody(string: "bye"))
        }
        try await withTestServer(responder: responder) { _, port in
            let client = HTTPClient()
            let (response, body) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), collectingUpTo: 1024)
            #expect(response.headers["Connection"] == "close")
            #expect(body == Array("bye".utf8))
            let (second, _) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), collectingUpTo: 1024)
            #expect(second.status == .ok)
        }
    }

    @Test func requestTimeoutFails() async throws {
        let responder = ClosureResponder { _, _ in
            try await Task.sleep(for: .seconds(5))
            return Response.text("late")
        }
        try await withTestServer(responder: responder) { _, port in
            let client = HTTPClient()
            let error = await #expect(throws: HTTPClientError.self) {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), timeout: .milliseconds(100))
            }
            #expect(error?.code == .timedOut)
        }
    }

    @Test func timeoutOnReusedConnectionFails() async throws {
        // The pooled connection waits under its 60 s idle deadline, and the
        // request's shorter deadline must still end the wait.
        let responder = ClosureResponder { request, _ in
            if request.path == "/slow" {
                try await Task.sleep(for: .seconds(5))
            }
            return Response.text("done")
        }
        try await withTestServer(responder: responder) { _, port in
            let client = HTTPClient()
            let (first, _) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), collectingUpTo: 64)
            #expect(first.status == .ok)
            #expect(client.openConnectionCount(host: "127.0.0.1", port: port) == 1)
            let error = await #expect(throws: HTTPClientError.self) {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/slow"), timeout: .milliseconds(100))
            }
            #expect(error?.code == .timedOut)
            #expect(error?.message.contains("within") == true)
        }
    }

    @Test func refusedConnectionFails() async throws {
        let port = try reserveFreePort()
        let client = HTTPClient()
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(error?.code == .connectFailed)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
    }

    @Test(arguments: [
        "ftp://127.0.0.1/",
        "http://",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1:abc/",
        "http://user@127.0.0.1/",
        "http://127.0.0.1/a b",
        "http://example.com/",
    ])
    func invalidURLIsRejected(url: String) async throws {
        let client = HTTPClient()
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await client.execute(HTTPClientRequest(url: url))
        }
        #expect(error?.code == .invalidRequest)
    }

    @Test func headerInjectionIsRejected() async throws {
        try await withTestServer(responder: echo) { _, port in
            let client = HTTPClient()
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/", headers: ["X-Evil": "a\r\nInjected: yes"])
            let error = await #expect(throws: HTTPClientError.self) {
                _ = try await client.execute(request)
            }
            #expect(error?.code == .invalidRequest)
            #expect(client.openConnectionCount(host: "127.0.0.1", port: port) == 0)
        }
    }

    @Test(arguments: ["GET /admin HTTP/1.1\r\nX:", "", "GE T"])
    func invalidMethodIsRejected(method: String) async throws {
        try await withTestServer(responder: echo) { _, port in
            let client = HTTPClient()
            let request = HTTPClientRequest(method: HTTPMethod(rawValue: method), url: "http://127.0.0.1:\(port)/")
            let error = await #expect(throws: HTTPClientError.self) {
                _ = try await client.execute(request)
            }
            #expect(error?.code == .invalidRequest)
            #expect(error?.message.contains("invalid method") == true)
            #expect(client.openConnectionCount(host: "127.0.0.1", port: port) == 0)
        }
    }

    @Test func poolLimitQueuesRequests() async throws {
        let responder = ClosureResponder { _, _ in
            try await Task.sleep(for: .milliseconds(20))
            return Response.text("ok")
        }
        try await withTestServer(responder: responder) { server, port in
            var configuration = HTTPClientConfiguration()
            configuration.maxConnectionsPerEndpoint = 2
            let client = HTTPClient(configuration: configuration)
            try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), collectingUpTo: 64).0.status
                    }
                }
                for try await status in group {
                    #expect(status == .ok)
                }
            }
            #expect(client.openConnectionCount(host: "127.0.0.1", port: port) <= 2)
            #expect(server.connectionCount <= 2)
        }
    }
}

@Suite("HTTPClient retries on a stale pooled connection")
struct HTTPClientRetryTests {
    /// A server that answers the first request on each connection and then
    /// closes the connection when the second request arrives, without answering.
    static func closingOnSecondRequest() throws -> ScriptedServer {
        try ScriptedServer { connection, _ in
            defer { close(connection) }
            guard ScriptedServer.readHead(connection) != nil else { return }
            ScriptedServer.send(connection, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            _ = ScriptedServer.readHead(connection)
        }
    }

    @Test func idempotentRequestIsRetried() async throws {
        let server = try Self.closingOnSecondRequest()
        defer { server.stop() }
        let client = HTTPClient()
        let url = "http://127.0.0.1:\(server.port)/"
        let (first, _) = try await client.execute(HTTPClientRequest(url: url), collectingUpTo: 64)
        #expect(first.status == .ok)
        let (second, body) = try await client.execute(HTTPClientRequest(url: url), collectingUpTo: 64)
        #expect(second.status == .ok)
        #expect(body == Array("ok".utf8))
    }

    @Test func postIsNotRetried() async throws {
        let server = try Self.closingOnSecondRequest()
        defer { server.stop() }
        let client = HTTPClient()
        let url = "http://127.0.0.1:\(server.port)/"
        _ = try await client.execute(HTTPClientRequest(url: url), collectingUpTo: 64)
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await client.execute(HTTPClientRequest(method: .post, url: url, body: OutgoingBody(string: "x")))
        }
        #expect(error?.code == .connectionClosed)
    }

    @Test func truncatedBodyFails() async throws {
        let server = try ScriptedServer { connection, _ in
            defer { close(connection) }
            _ = ScriptedServer.readHead(connection)
            ScriptedServer.send(connection, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        }
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/"))
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await response.body.collect(upTo: 64)
        }
        #expect(error?.code == .connectionClosed)
    }

    @Test func bodyUntilCloseIsRead() async throws {
        let server = try ScriptedServer { connection, _ in
            defer { close(connection) }
            _ = ScriptedServer.readHead(connection)
            ScriptedServer.send(connection, "HTTP/1.1 200 OK\r\n\r\nto the end")
        }
        defer { server.stop() }
        let client = HTTPClient()
        let (response, body) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/"), collectingUpTo: 64)
        #expect(response.status == .ok)
        #expect(body == Array("to the end".utf8))
    }

    @Test func invalidResponseFails() async throws {
        let server = try ScriptedServer { connection, _ in
            defer { close(connection) }
            _ = ScriptedServer.readHead(connection)
            ScriptedServer.send(connection, "HTTP/1.1 200 OK\nContent-Length: 0\n\n")
        }
        defer { server.stop() }
        let client = HTTPClient()
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/"))
        }
        #expect(error?.code == .invalidResponse)
        #expect(error?.message.contains("bare LF") == true)
    }
}
