import Foundation
import StratusGateway
@testable import StratusGatewayPolicies
import StratusTelemetry
import Testing

/// The policies registered in a `Gateway`: configurations validated through
/// the gateway's loader, as `stratus gateway` reads its file.
@Suite struct GatewayPolicySuiteTests {
    /// Returns a gateway with the policies registered, running a minimal
    /// configuration. It serves nothing until started.
    static func gateway() async throws -> Gateway {
        var settings = Gateway.Settings()
        settings.logger = quietLogger
        settings.accessLogger = nil
        settings.metrics = MetricsRegistry()
        settings.adminDisabled = true
        settings.port = 0
        PolicyPlugins.register(in: settings.plugins, logger: quietLogger)
        let yaml = "upstreams: [{name: echo, endpoints: [\"127.0.0.1:9\"]}]\nroutes: [{name: r, match: {prefix: /}, upstream: echo}]\n"
        return try await Gateway(settings: settings, yaml: Array(yaml.utf8), origin: "start.yaml")
    }

    /// Returns the problems the gateway finds in `yaml`, or none.
    static func problems(_ yaml: String) async throws -> [String] {
        let gateway = try await gateway()
        defer { Task { await gateway.shutdown(gracePeriod: .zero) } }
        do {
            _ = try gateway.validate(yaml: Array(yaml.utf8), origin: "gateway.yaml")
            return []
        } catch {
            return error.problems.map(\.message)
        }
    }

    static let route = """
        upstreams:
          - name: echo
            endpoints: ["127.0.0.1:9"]
        routes:
          - name: api
            match: {prefix: /}
            upstream: echo
            plugins:
        """

    @Test(arguments: [
        // Each plugin is on line 9, under routes[0].plugins.
        ("jwt: {algorithms: [HS256], keys: [{secret: short}]}", ["gateway.yaml:9:", "routes[0].plugins.jwt.keys[0]", "secret: expected at least 32 bytes"]),
        ("rateLimit: {rate: 10, key: header}", ["gateway.yaml:9:", "routes[0].plugins.rateLimit: invalid value a mapping: header: missing; expected a header field name"]),
        ("rateLimit: {rate: 10, scope: cluster}", ["gateway.yaml:9:", "routes[0].plugins.rateLimit.scope", "add the control plane's URL to settings.controlPlane"]),
        ("extAuthz: {service: iam-authz}", ["gateway.yaml:9:", "routes[0].plugins.extAuthz.service", "settings.controlPlane"]),
        ("ipRestriction: {deny: [10.0.0.1/8]}", ["gateway.yaml:9:", "routes[0].plugins.ipRestriction.deny[0]", "10.0.0.0/8"]),
        ("keyAuth: {anonymous: nobody}", ["gateway.yaml:9:", "routes[0].plugins.keyAuth.anonymous"]),
        ("cors: {allowOrigins: [\"null\"]}", ["gateway.yaml:9:", "routes[0].plugins.cors.allowOrigins[0]"]),
        ("basicAuth: {cacheTTL: 60}", ["gateway.yaml:9:", "routes[0].plugins.basicAuth.cacheTTL"]),
        ("keyAuth: {hideCredential: true}", ["routes[0].plugins.keyAuth.hideCredential; did you mean routes[0].plugins.keyAuth.hideCredentials?"]),
        ("oauth: {}", ["unknown plugin \"oauth\"", "jwt"]),
    ])
    func pluginProblemsNameFileLineAndKey(plugin: String, messages: [String]) async throws {
        let found = try await Self.problems(Self.route + "\n      " + plugin)
        #expect(!found.isEmpty, "\(plugin) was accepted")
        for message in messages {
            #expect(found.contains { $0.contains(message) }, "expected \(message) in \(found)")
        }
    }

    @Test func secretsStayOutOfMessages() async throws {
        let secret = "a-secret-that-is-too-short"
        let found = try await Self.problems(Self.route + "\n      jwt: {algorithms: [HS256], keys: [{secret: \(secret)}]}")
        #expect(found.contains { $0.contains("routes[0].plugins.jwt.keys[0]") }, "\(found)")
        #expect(!found.joined().contains(secret), "\(found)")
    }

    @Test func consumerProblemsNameTheCredential() async throws {
        let key = "partner-key-0123456789"
        let found = try await Self.problems("""
            settings:
              trustedProxies: [10.0.0.1/8]
            consumers:
              - name: a
                credentials:
                  keyAuth: [{key: \(key)}]
              - name: b
                customID: "has space"
              - name: c
                credentials:
                  keyAuth: [{key: \(key)}]
                  oauth: {token: x}
              - name: d
                rateLimit: {rate: 0}
            """)
        let expected = [
            "gateway.yaml:2:20: settings.trustedProxies[0]", "consumers[1].customID", "credentials: unknown plugin \"oauth\"",
            "consumers[3].rateLimit.rate",
        ]
        for message in expected {
            #expect(found.contains { $0.contains(message) }, "expected \(message) in \(found)")
        }
        let duplicate = try await Self.problems("""
            consumers:
              - name: a
                credentials:
                  keyAuth: [{key: \(key)}]
              - name: b
                credentials:
                  keyAuth: [{key: \(key)}]
            """)
        let problem = try #require(duplicate.first { $0.contains("consumers[1].credentials.keyAuth[0]:") }, "\(duplicate)")
        #expect(problem.contains("gateway.yaml:7:"), "\(problem)")
        #expect(problem.contains("expected a key no other credential has"), "\(problem)")
        #expect(!duplicate.joined().contains(key), "\(duplicate)")
    }

    /// Returns the first YAML block of `document` in docs/ after `heading`.
    static func example(_ document: String, after heading: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/\(document)").standardized
        let text = try String(contentsOf: url, encoding: .utf8)
        let section = try #require(text.range(of: heading))
        let start = try #require(text.range(of: "```yaml\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test(arguments: [("gateway.md", "## A complete example"), ("gateway.md", "## Plugins"), ("gateway-security.md", "## Configuration")])
    func documentationExampleIsValid(document: String, heading: String) async throws {
        var example = try Self.example(document, after: heading)
        #expect(example.contains("plugins:"))
        if example.hasPrefix("plugins:") {
            // A route's plugins alone: put them into a whole configuration.
            let indented = example.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            example = Self.route.replacingOccurrences(of: "    plugins:", with: indented)
                + "\nconsumers: [{name: guest}]\nsettings: {controlPlane: [\"http://127.0.0.1:7700\"]}\n"
        }
        let files = try TemporaryDirectory()
        defer { files.remove() }
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let jwks = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"jwks-1\",\"alg\":\"HS256\",\"k\":\"\(Base64.encode(secret, alphabet: .url))\"}]}"
        example = example
            .replacingOccurrences(of: "/etc/stratus/jwt.secret", with: try files.write(String(decoding: secret.map { $0 % 94 + 33 }, as: UTF8.self), name: "jwt.secret"))
            .replacingOccurrences(of: "/etc/stratus/iam.pem", with: try files.write(String(decoding: TestKeys.shared.rsa.publicKeyPEM, as: UTF8.self), name: "iam.pem"))
            .replacingOccurrences(of: "/etc/stratus/jwks.json", with: try files.write(jwks, name: "jwks.json"))
        let found = try await Self.problems(example)
        #expect(found.isEmpty, "\(found)")
    }

}
