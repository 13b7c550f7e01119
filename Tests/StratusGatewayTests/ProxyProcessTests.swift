import Foundation
import StratusHTTP
import StratusTestSupport
import Testing

/// `stratus gateway` as a real process in front of test upstreams: what it
/// forwards, rewrites and returns.
@Suite(.serialized) struct ProxyProcessTests {
    @Test func forwardsWithRewritesAndForwardingFields() async throws {
        let upstream = try await EchoUpstream.start(name: "users")
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            upstreams:
              - name: users
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: strip
                match: {prefix: /api}
                upstream: users
                rewrite: {stripPrefix: /api}
                requestHeaders:
                  set: {X-Team: core}
                  remove: [X-Secret]
                responseHeaders:
                  add: {X-Served-By: gateway}
                  remove: [X-Upstream]
              - name: template
                match: {template: "/v1/users/{id}/posts/{post}"}
                upstream: users
                rewrite: {path: "/internal/{id}/{post}"}
            """)
        defer { gateway.stop() }
        let (response, body) = try await gateway.send("/api/items?limit=5", headers: [
            "X-Secret": "s", "X-Forwarded-For": "203.0.113.9", "Connection": "X-Hop", "X-Hop": "drop", "Keep-Alive": "timeout=5",
        ])
        #expect(response.status == .ok)
        #expect(response.headers["X-Served-By"] == "gateway")
        #expect(response.headers["X-Upstream"] == nil)
        #expect(response.headers["X-Request-Id"] != nil)
        let seen = try EchoDescription(body)
        #expect(seen.target == "/items?limit=5")
        #expect(seen.headers["x-team"] == "core")
        #expect(seen.headers["x-secret"] == nil)
        #expect(seen.headers["x-hop"] == nil)
        #expect(seen.headers["keep-alive"] == nil)
        // The peer is not a trusted proxy, so the client's claim is replaced.
        #expect(seen.headers["x-forwarded-for"] == "127.0.0.1")
        #expect(seen.headers["x-forwarded-proto"] == "http")
        #expect(seen.headers["forwarded"]?.hasPrefix("for=127.0.0.1;host=") == true)
        #expect(seen.headers["x-request-id"] == response.headers["X-Request-Id"])
        #expect(seen.headers["host"] == upstream.endpoint)

        let (_, templated) = try await gateway.send("/v1/users/alice/posts/7")
        #expect(try EchoDescription(templated).target == "/internal/alice/7")
        await upstream.stop()
    }

    @Test func trustedProxyFieldsAreExtended() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
              trustedProxies: [127.0.0.0/8]
            upstreams:
              - name: echo
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: all
                match: {prefix: /}
                upstream: echo
                preserveHost: true
            """)
        defer { gateway.stop() }
        let (_, body) = try await gateway.send("/", headers: ["Host": "api.example.com", "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Request-Id": "abc-123"])
        let seen = try EchoDescription(body)
        #expect(seen.headers["x-forwarded-for"] == "203.0.113.9, 127.0.0.1")
        #expect(seen.headers["x-forwarded-proto"] == "https")
        #expect(seen.headers["host"] == "api.example.com")
        #expect(seen.headers["x-request-id"] == "abc-123")
        await upstream.stop()
    }

    @Test func routesByPrecedence() async throws {
        let upstreams = try await withThrowingTaskGroup(of: EchoUpstream.self) { group in
            for name in ["exact", "template", "long", "short", "regex", "host", "wild", "header", "priority"] {
                group.addTask { try await EchoUpstream.start(name: name) }
            }
            return try await group.reduce(into: [String: EchoUpstream]()) { $0[$1.name] = $1 }
        }
        let upstreamYAML = upstreams.values.map { "  - name: \($0.name)\n    endpoints: [\"\($0.endpoint)\"]" }.joined(separator: "\n")
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            upstreams:
            \(upstreamYAML)
            routes:
              - {name: regex, match: {regex: "/a/[0-9]+"}, upstream: regex}
              - {name: short, match: {prefix: /a}, upstream: short}
              - {name: long, match: {prefix: /a/b}, upstream: long}
              - {name: template, match: {template: "/a/{x}"}, upstream: template}
              - {name: exact, match: {exact: /a/b}, upstream: exact}
              - {name: host, match: {prefix: /a, hosts: [api.example.com]}, upstream: host}
              - {name: wild, match: {prefix: /a, hosts: ["*.example.com"]}, upstream: wild}
              - {name: header, match: {prefix: /h, headers: [{name: X-Beta, value: "1"}]}, upstream: header}
              - {name: low, match: {prefix: /p}, upstream: short}
              - {name: high, match: {prefix: /p}, priority: 10, upstream: priority}
              - {name: post-only, match: {exact: /m, methods: [POST]}, upstream: exact}
            """)
        defer { gateway.stop() }
        let cases: [(String, HTTPFields, String)] = [
            ("/a/b", [:], "exact"),
            ("/a/c", [:], "template"),
            ("/a/b/c", [:], "long"),
            ("/a", [:], "short"),
            ("/a/1/2", [:], "short"),
            ("/a/b", ["Host": "api.example.com"], "host"),
            ("/a/b", ["Host": "www.example.com"], "wild"),
            ("/a/b", ["Host": "example.com"], "exact"),
            ("/h", ["X-Beta": "1"], "header"),
            ("/p", [:], "priority"),
        ]
        for (path, headers, expected) in cases {
            let (response, body) = try await gateway.send(path, headers: headers)
            #expect(response.status == .ok, "\(path)")
            #expect(try EchoDescription(body).instance == expected, "\(path) \(headers) went to \(body)")
        }
        #expect(try await gateway.send("/h").response.status == .notFound)
        #expect(try await gateway.send("/m").response.status == .methodNotAllowed)
        #expect(try await gateway.send("/nothing").response.status == .notFound)
        for upstream in upstreams.values { await upstream.stop() }
    }
}

/// nginx from Debian as one of the upstreams.
@Suite(.serialized) struct NginxUpstreamProcessTests {
    @Test(.disabled(if: NginxUpstream.isMissing, "nginx is not installed; run make bootstrap"))
    func proxiesToNginxBesideAnotherUpstream() async throws {
        let nginx = try await NginxUpstream(locations: """
            location = /static { default_type text/plain; return 200 "from nginx"; }
            location / { return 404; }
            """)
        defer { nginx.stop() }
        let echo = try await EchoUpstream.start(name: "echo")
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            upstreams:
              - name: nginx
                endpoints: ["127.0.0.1:\(nginx.port)"]
              - name: echo
                endpoints: ["\(echo.endpoint)"]
            routes:
              - name: static
                match: {prefix: /assets}
                upstream: nginx
                rewrite: {path: /static}
              - name: api
                match: {prefix: /}
                upstream: echo
            """)
        defer { gateway.stop() }
        for _ in 0..<20 {
            let (response, body) = try await gateway.send("/assets/app.js")
            #expect(response.status == .ok)
            #expect(body == "from nginx")
            #expect(try await gateway.send("/v1").response.headers["X-Upstream"] == "echo")
        }
        let (missing, _) = try await gateway.send("/assets/../nothing")
        #expect(missing.status == .ok, "the normalized /nothing goes to the echo route")
        await echo.stop()
    }
}
