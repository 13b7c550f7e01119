import Foundation
import StratusHTTP
import StratusTestSupport
import Testing

/// Requests that spell a protected path another way never reach the
/// public route's upstream, and malformed framing is never forwarded.
@Suite(.serialized) struct PathSecurityProcessTests {
    /// `/admin` is protected: its upstream is closed and its fallback
    /// responds 403. Everything else goes to the public upstream.
    static func config(publicEndpoint: String) -> String {
        """
        settings:
          accessLog: false
        upstreams:
          - name: public
            endpoints: ["\(publicEndpoint)"]
          - name: closed
            endpoints: ["127.0.0.1:1"]
            retries: {attempts: 1}
        routes:
          - name: public
            match: {prefix: /}
            upstream: public
          - name: admin
            match: {prefix: /admin}
            upstream: closed
            policies:
              fallback: {status: 403, body: "denied"}
        """
    }

    @Test func pathTricksNeverReachThePublicRoute() async throws {
        let upstream = try await EchoUpstream.start(name: "public")
        let gateway = try await GatewayProcess(yaml: Self.config(publicEndpoint: upstream.endpoint))
        defer { gateway.stop() }
        let port = try #require(Int(gateway.url.split(separator: ":").last!))
        let tricks = [
            "/admin", "/admin/", "/admin/x", "/public/../admin/x", "/admin/./x", "/x/..//admin", "//admin/x",
            "/%61dmin/x", "/ADMIN/x", "/Admin", "/admin;jsessionid=1/x", "/public/..;/admin/x",
            "/%2e%2e/admin", "/public/%2e%2e/admin/x", "/public/.%2E/admin", "/admin%2Fx", "/public%2F..%2Fadmin",
            "/public\\..\\admin", "/public/%5C../admin", "/admin%3Bx",
        ]
        for trick in tricks {
            let connection = try RawConnection(port: port)
            connection.send("GET \(trick) HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            let (text, _) = try await blocking { connection.readAll() }
            let status = text.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            #expect(status == "403" || status == "400", "\(trick) answered \(text.prefix(200))")
        }
        for head in upstream.requests {
            #expect(!head.target.lowercased().contains("admin"), "the public upstream received \(head.target)")
        }
        await upstream.stop()
    }

    @Test(arguments: [
        ("both lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("different lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        ("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n"),
        ("bad chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
        ("chunk size overflow", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
        ("chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
        ("space before colon", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length : 0\r\n\r\n"),
        ("bare LF", "GET / HTTP/1.1\nHost: a\n\n"),
        ("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
    ])
    func smugglingInputIsRejected(name: String, bytes: String) async throws {
        let upstream = try await EchoUpstream.start(name: "public")
        let gateway = try await GatewayProcess(yaml: Self.config(publicEndpoint: upstream.endpoint))
        defer { gateway.stop() }
        let port = try #require(Int(gateway.url.split(separator: ":").last!))
        let connection = try RawConnection(port: port)
        // A second request follows: it must never be read as its own request.
        connection.send(bytes + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n")
        let (text, closed) = try await blocking { connection.readAll() }
        #expect(text.hasPrefix("HTTP/1.1 400 ") || text.hasPrefix("HTTP/1.1 501 "), "\(name): \(text.prefix(200))")
        #expect(closed, "\(name): the connection stayed open")
        #expect(!text.contains("/smuggled"))
        #expect(upstream.requests.isEmpty, "\(name): the upstream received \(upstream.requests.map(\.target))")
        await upstream.stop()
    }
}
