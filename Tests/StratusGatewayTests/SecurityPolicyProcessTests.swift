import Foundation
import StratusHTTP
import StratusTestSupport
import Testing

/// The security policies of `stratus gateway`, configured in its YAML file:
/// JWT, API keys, Basic authentication, IP lists, CORS and local rate
/// limits, and bad plugin values at start and on reload.
@Suite(.serialized) struct SecurityPolicyProcessTests {
    static let issuer = "http://127.0.0.1/test-issuer"

    /// Returns the `error.code` of a security policy's JSON rejection.
    static func code(_ body: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    static func jwtConfiguration(upstream: String, secretFile: String) -> String {
        """
        settings:
          accessLog: false
        consumers:
          - name: billing-app
            customID: team-42
            credentials:
              jwt:
                - issuer: "\(issuer)"
        upstreams:
          - name: echo
            endpoints: ["\(upstream)"]
        routes:
          - name: invoices
            match: {prefix: /invoices}
            upstream: echo
            plugins:
              jwt:
                algorithms: [HS256]
                keys: [{kid: test, algorithm: HS256, secretFile: "\(secretFile)"}]
                issuers: ["\(issuer)"]
          - name: open
            match: {prefix: /open}
            upstream: echo
        """
    }

    /// An HMAC secret of 32 random bytes in a file of its own directory.
    struct SecretFile {
        let directory: TestDirectory
        let secret: [UInt8]
        let path: String

        init() throws {
            directory = try TestDirectory()
            secret = TestCredentials.randomBytes(32)
            path = try directory.write(secret, name: "jwt.secret")
        }

        /// Returns a token of the test issuer signed with the secret.
        func token(expiresIn: Int) -> String {
            TestCredentials.hs256Token(claims: TestCredentials.claims(issuer: SecurityPolicyProcessTests.issuer, subject: "svc-1", expiresIn: expiresIn), secret: secret, kid: "test")
        }
    }

    @Test func jwtRoutePassesOnlyValidTokens() async throws {
        let upstream = try await EchoUpstream.start()
        let secretFile = try SecretFile()
        defer { secretFile.directory.remove() }
        let gateway = try await GatewayProcess(yaml: Self.jwtConfiguration(upstream: upstream.endpoint, secretFile: secretFile.path))
        defer { gateway.stop() }

        let valid = secretFile.token(expiresIn: 3600)
        let (passed, passedBody) = try await gateway.send("/invoices/7", headers: ["Authorization": "Bearer \(valid)", "X-Consumer-Username": "admin"])
        #expect(passed.status == .ok)
        let echoed = try EchoDescription(passedBody)
        #expect(echoed.headers["x-consumer-username"] == "billing-app", "the gateway replaces the client's value")
        #expect(echoed.headers["x-consumer-custom-id"] == "team-42")
        #expect(echoed.headers["x-authenticated-subject"] == "svc-1")
        #expect(echoed.headers["x-stratus-consumer"] == "billing-app")

        let expired = secretFile.token(expiresIn: -3600)
        let foreign = TestCredentials.hs256Token(claims: TestCredentials.claims(issuer: Self.issuer, subject: "svc-1", expiresIn: 3600), secret: TestCredentials.randomBytes(32), kid: "test")
        let cases: [(HTTPFields, String)] = [
            ([:], "missing_credentials"),
            (["Authorization": "Bearer \(expired)"], "token_expired"),
            (["Authorization": "Bearer \(foreign)"], "invalid_token"),
            (["Authorization": "Bearer not.a.token"], "invalid_token"),
        ]
        for (headers, code) in cases {
            let (response, body) = try await gateway.send("/invoices/7", headers: headers)
            #expect(response.status.code == 401, "\(code)")
            #expect(Self.code(body) == code, "\(body)")
            #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer realm=") == true)
            #expect(response.headers["Content-Type"] == "application/json")
        }
        #expect(upstream.requests.count == 1, "no rejected request reached the upstream")

        let (open, openBody) = try await gateway.send("/open", headers: ["X-Consumer-Username": "admin"])
        #expect(open.status == .ok)
        #expect(try EchoDescription(openBody).headers["x-consumer-username"] == nil, "a route without authentication drops consumer fields")
        #expect(try await PolicyProcessTests.metric(gateway, "stratus_gateway_policy_decisions_total{decision=\"rejected\",policy=\"authentication\",route=\"invoices\"}") == 4)
        #expect(try await PolicyProcessTests.metric(gateway, "stratus_gateway_requests_total{consumer=\"billing-app\",route=\"invoices\",status=\"200\",upstream=\"echo\"}") == 1)
        await upstream.stop()
    }

    @Test func keyAuthAndBasicAuthShareARoute() async throws {
        let upstream = try await EchoUpstream.start()
        let key = "partner-key-0123456789abcdef"
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            consumers:
              - name: partner
                credentials:
                  keyAuth:
                    - keyHash: "sha256:\(TestCredentials.sha256Hex(key))"
              - name: operator
                credentials:
                  basicAuth:
                    # openssl passwd -6 -salt stratustestsalt operator-password-1
                    - username: ops
                      passwordHash: "$6$stratustestsalt$tFl1UK1UJg.1mAk4KI5m/5aK6QwCGCdJci6AO5P21.B7fbmjOrhZ6ZjLtgSy3tU27BXFc9shRCwjjKerDacKx0"
            upstreams:
              - name: echo
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: api
                match: {prefix: /}
                upstream: echo
                plugins:
                  keyAuth: {}
                  basicAuth: {realm: operators}
            """)
        defer { gateway.stop() }

        let (keyed, keyedBody) = try await gateway.send("/", headers: ["apikey": key])
        #expect(keyed.status == .ok)
        #expect(try EchoDescription(keyedBody).headers["x-consumer-username"] == "partner")
        #expect(try EchoDescription(keyedBody).headers["apikey"] == nil, "the key is not forwarded")

        let basic = "Basic " + Data("ops:operator-password-1".utf8).base64EncodedString()
        let (signedIn, signedInBody) = try await gateway.send("/", headers: ["Authorization": basic])
        #expect(signedIn.status == .ok)
        #expect(try EchoDescription(signedInBody).headers["x-consumer-username"] == "operator")
        #expect(try EchoDescription(signedInBody).headers["authorization"] == nil, "the password is not forwarded")

        let wrongPassword = "Basic " + Data("ops:guess".utf8).base64EncodedString()
        for headers: HTTPFields in [["apikey": "unknown-key-0123456789abcdef"], ["Authorization": wrongPassword]] {
            let (response, body) = try await gateway.send("/", headers: headers)
            #expect(response.status.code == 401)
            #expect(Self.code(body) == "invalid_credentials", "\(body)")
        }
        let (missing, missingBody) = try await gateway.send("/")
        #expect(missing.status.code == 401)
        #expect(Self.code(missingBody) == "missing_credentials")
        let challenges = missing.headers.values(for: "WWW-Authenticate")
        #expect(challenges.contains { $0.hasPrefix("Key realm=") }, "\(challenges)")
        #expect(challenges.contains { $0.hasPrefix("Basic realm=\"operators\"") }, "\(challenges)")
        #expect(upstream.requests.count == 2)
        await upstream.stop()
    }

    @Test func ipRestrictionAndCORS() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
              trustedProxies: [127.0.0.1]
            upstreams:
              - name: echo
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: blocked
                match: {prefix: /blocked}
                upstream: echo
                plugins:
                  ipRestriction: {deny: [127.0.0.0/8]}
              - name: partners
                match: {prefix: /partners}
                upstream: echo
                plugins:
                  ipRestriction: {allow: [198.51.100.0/24]}
              - name: web
                match: {prefix: /web}
                upstream: echo
                plugins:
                  cors: {allowOrigins: ["https://app.example.com"], allowHeaders: [Authorization], maxAge: 5m}
            """)
        defer { gateway.stop() }

        let (denied, deniedBody) = try await gateway.send("/blocked")
        #expect(denied.status.code == 403)
        #expect(Self.code(deniedBody) == "address_not_allowed")
        #expect(try await gateway.send("/partners", headers: ["X-Forwarded-For": "198.51.100.7"]).response.status == .ok, "the trusted proxy's address is read")
        #expect(try await gateway.send("/partners", headers: ["X-Forwarded-For": "203.0.113.9"]).response.status.code == 403)
        #expect(try await gateway.send("/partners").response.status.code == 403)

        var preflight: HTTPFields = ["Origin": "https://app.example.com", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"]
        let (allowed, _) = try await gateway.send("/web", method: .options, headers: preflight)
        #expect(allowed.status.code == 204)
        #expect(allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.com")
        #expect(allowed.headers["Access-Control-Allow-Methods"]?.contains("GET") == true)
        #expect(allowed.headers["Access-Control-Max-Age"] == "300")
        preflight.set("Origin", "https://evil.example.com")
        let (rejected, rejectedBody) = try await gateway.send("/web", method: .options, headers: preflight)
        #expect(rejected.status.code == 403)
        #expect(Self.code(rejectedBody) == "cors_rejected")
        let (simple, _) = try await gateway.send("/web", headers: ["Origin": "https://app.example.com"])
        #expect(simple.status == .ok)
        #expect(simple.headers["Access-Control-Allow-Origin"] == "https://app.example.com")
        #expect(upstream.requests.count == 2, "only the allowed partner and the simple CORS request reached the upstream")
        await upstream.stop()
    }

    @Test func localRateLimitAnswers429AndSurvivesAReload() async throws {
        let upstream = try await EchoUpstream.start()
        let configuration = """
            settings:
              accessLog: false
            upstreams:
              - name: echo
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: limited
                match: {prefix: /limited}
                upstream: echo
                plugins:
                  # One request per 100 s: a burst of 1 that does not refill during the test.
                  rateLimit: {rate: 0.01, window: 100s}
            """
        let gateway = try await GatewayProcess(yaml: configuration)
        defer { gateway.stop() }
        #expect(try await gateway.send("/limited").response.status == .ok)
        let (limited, body) = try await gateway.send("/limited")
        #expect(limited.status.code == 429)
        #expect(Int(limited.headers["Retry-After"] ?? "") ?? 0 >= 1, "\(limited.headers)")
        #expect(body.contains("\"reason\":\"rate_limited\""), "\(body)")

        try await gateway.reload(configuration + """

              - name: other
                match: {prefix: /other}
                upstream: echo
            """)
        #expect(try await gateway.send("/limited").response.status.code == 429, "the unchanged limit kept its state")
        #expect(try await gateway.send("/other").response.status == .ok)
        #expect(try await PolicyProcessTests.metric(gateway, "stratus_gateway_policy_decisions_total{decision=\"rejected\",policy=\"rateLimit\",route=\"limited\"}") == 2)
        await upstream.stop()
    }

    @Test(arguments: [
        (
            "jwt: {algorithms: [none], keys: [{secret: 0123456789abcdef0123456789abcdef}]}",
            ["gateway.yaml:14:", "routes[0].plugins.jwt.algorithms[0]", "HS256"]
        ),
        (
            "rateLimit: {rate: 10, scope: cluster}",
            ["gateway.yaml:14:", "routes[0].plugins.rateLimit.scope", "settings.controlPlane"]
        ),
        (
            "rateLimit: {rate: 0}",
            ["gateway.yaml:14:", "routes[0].plugins.rateLimit.rate", "above 0"]
        ),
        (
            "keyAuth: {anonymous: nobody}",
            ["gateway.yaml:14:", "routes[0].plugins.keyAuth.anonymous", "consumer"]
        ),
        (
            "cors: {allowOrigins: [\"*\"], allowCredentials: true}",
            ["gateway.yaml:14:", "routes[0].plugins.cors.allowOrigins[0]"]
        ),
    ])
    func badPluginValueStopsTheStart(plugin: String, messages: [String]) async throws {
        let yaml = """
            settings:
              accessLog: false
            upstreams:
              - name: echo
                endpoints: ["127.0.0.1:9"]
            consumers:
              - name: partner
            routes:
              - name: api
                match: {prefix: /}
                upstream: echo
                plugins:
                  ipRestriction: {allow: [127.0.0.1]}
                  \(plugin)
            """
        guard let error = try await Self.startError(yaml, starting: plugin) else { return }
        for message in messages {
            #expect(error.contains(message), "expected \(message) in: \(error)")
        }
    }

    /// Starts a gateway that should refuse `yaml` and returns its error, or
    /// records an issue naming `what` and returns nil when it started.
    static func startError(_ yaml: String, starting what: String) async throws -> String? {
        do {
            let gateway = try await GatewayProcess(yaml: yaml)
            gateway.stop()
            Issue.record("the gateway started with \(what)")
            return nil
        } catch let error as GatewayTestError {
            return error.description
        }
    }

    @Test func badConsumerCredentialStopsTheStart() async throws {
        let yaml = """
            upstreams:
              - name: echo
                endpoints: ["127.0.0.1:9"]
            consumers:
              - name: partner
                credentials:
                  keyAuth:
                    - key: short
            routes:
              - name: api
                match: {prefix: /}
                upstream: echo
                plugins:
                  keyAuth: {}
            """
        guard let error = try await Self.startError(yaml, starting: "a short key") else { return }
        #expect(error.contains("gateway.yaml:8:"), "\(error)")
        #expect(error.contains("consumers[0].credentials.keyAuth[0]"), "\(error)")
        #expect(!error.contains("short"), "the key is not shown: \(error)")
    }

    @Test func badPluginValueOnReloadKeepsTheRunningConfiguration() async throws {
        let upstream = try await EchoUpstream.start()
        let secretFile = try SecretFile()
        defer { secretFile.directory.remove() }
        let good = Self.jwtConfiguration(upstream: upstream.endpoint, secretFile: secretFile.path)
        let gateway = try await GatewayProcess(yaml: good)
        defer { gateway.stop() }

        let broken = good.replacingOccurrences(of: "algorithms: [HS256]", with: "algorithms: [HS256, none]")
        try broken.write(toFile: gateway.configPath, atomically: true, encoding: .utf8)
        let rejectedSample = "stratus_gateway_config_reloads_total{result=\"rejected\"}"
        for _ in 0..<500 where try await PolicyProcessTests.metric(gateway, rejectedSample) < 1 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await PolicyProcessTests.metric(gateway, rejectedSample) == 1)
        #expect(try await gateway.generation() == 1)
        #expect(try await gateway.send("/invoices").response.status.code == 401, "the running JWT route still rejects")
        let token = secretFile.token(expiresIn: 3600)
        #expect(try await gateway.send("/invoices", headers: ["Authorization": "Bearer \(token)"]).response.status == .ok)

        let (status, body) = try await gateway.admin("/admin/config", method: .put, body: broken)
        #expect(status == 422)
        #expect(body.contains("routes[0].plugins.jwt.algorithms[1]"), "\(body)")
        #expect(try await gateway.generation() == 1)

        try await gateway.reload(good.replacingOccurrences(of: "name: open", with: "name: opened"))
        #expect(try await gateway.generation() == 2)
        #expect(try await gateway.send("/invoices").response.status.code == 401)
        await upstream.stop()
    }
}
