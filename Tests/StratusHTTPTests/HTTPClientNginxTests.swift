import StratusHTTP
import Testing

@Suite("HTTPClient against nginx", .enabled(if: NginxPeer.executable != nil, "nginx is not installed; run make bootstrap"))
struct HTTPClientNginxTests {
    @Test func fixedResponseFromNginx() async throws {
        let nginx = try await NginxPeer(locations: #"location / { return 200 "from nginx\n"; }"#)
        defer { nginx.stop() }
        let client = HTTPClient()
        for _ in 0..<3 {
            let (response, body) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(nginx.port)/"), collectingUpTo: 1024)
            #expect(response.status == .ok)
            #expect(String(decoding: body, as: UTF8.self) == "from nginx\n")
        }
        #expect(client.openConnectionCount(host: "127.0.0.1", port: nginx.port) == 1)
    }

    @Test func headFromNginxHasNoBody() async throws {
        let nginx = try await NginxPeer(locations: #"location / { return 200 "twelve bytes"; }"#)
        defer { nginx.stop() }
        let client = HTTPClient()
        let (response, body) = try await client.execute(HTTPClientRequest(method: .head, url: "http://127.0.0.1:\(nginx.port)/"), collectingUpTo: 1024)
        #expect(response.headers["Content-Length"] == "12")
        #expect(body.isEmpty)
    }

    @Test func notFoundFromNginx() async throws {
        let nginx = try await NginxPeer(locations: "location / { return 404; }")
        defer { nginx.stop() }
        let client = HTTPClient()
        let (response, body) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(nginx.port)/missing"), collectingUpTo: 4096)
        #expect(response.status == .notFound)
        #expect(!body.isEmpty)
    }

    /// nginx proxies to our server: our client decodes nginx's chunked
    /// re-encoding of a streamed body, and our server reads nginx's requests.
    @Test func proxiedThroughNginx() async throws {
        let responder = ClosureResponder { request, _ in
            let received = try await request.body.collect(upTo: 1 << 20)
            return Response(body: OutgoingBody { writer in
                try await writer.write("received \(received.count) bytes\n")
                for index in 0..<50 {
                    try await writer.write("line \(index)\n")
                }
            })
        }
        try await withTestServer(responder: responder) { _, upstreamPort in
            let nginx = try await NginxPeer(locations: """
                location / {
                    proxy_pass http://127.0.0.1:\(upstreamPort);
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_buffering off;
                }
                """)
            defer { nginx.stop() }
            let client = HTTPClient()
            let payload = [UInt8](repeating: 0x61, count: 100_000)
            let request = HTTPClientRequest(method: .post, url: "http://127.0.0.1:\(nginx.port)/upload", body: OutgoingBody(bytes: payload))
            let (response, body) = try await client.execute(request, collectingUpTo: 1 << 20)
            let lines = String(decoding: body, as: UTF8.self).split(separator: "\n")
            #expect(response.status == .ok)
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            #expect(lines.first == "received 100000 bytes")
            #expect(lines.count == 51)
        }
    }
}
