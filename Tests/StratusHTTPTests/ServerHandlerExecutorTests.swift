import StratusHTTP
import StratusNet
import Testing

@Suite("Handler executors")
struct ServerHandlerExecutorTests {
    @Test func eventLoopHandlerRunsOnLoop() async throws {
        try await withServer(handler: { _, _ in
            Response.text(EventLoop.current == nil ? "pool" : "loop")
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.text == "loop")
        }
    }

    @Test func poolHandlerRunsOffLoop() async throws {
        try await withServer(configure: { $0.handlerExecutor = .concurrencyPool }, handler: { _, _ in
            Response.text(EventLoop.current == nil ? "pool" : "loop")
        }) { server in
            let client = try await server.connect()
            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.text == "pool")
        }
    }

    @Test func poolHandlerStreamsAndPipelines() async throws {
        try await withServer(configure: { $0.handlerExecutor = .concurrencyPool }, handler: { request, _ in
            let body = try await request.body.collect(upTo: 1024)
            return Response(body: OutgoingBody { writer in
                try await writer.write("got ")
                try await writer.write(body)
            })
        }) { server in
            let client = try await server.connect()
            try await client.send(
                "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
                    + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo"
            )
            let first = try await client.readResponse()
            let second = try await client.readResponse()
            #expect(first.text == "got one")
            #expect(first.isChunked)
            #expect(second.text == "got two")
        }
    }
}
