import Foundation
import StratusHTTP
@testable import StratusGateway
import StratusTelemetry
import Testing

/// A plugin for the tests: it adds a header naming itself and, when its
/// `reject` setting is true, responds 403.
struct MarkerPlugin: RouterMiddleware {
    struct Settings: Decodable, Sendable {
        var reject: Bool
    }

    struct Credential: Decodable, Sendable {
        var key: String
    }

    let name: String
    let settings: Settings

    func handle(_ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response) async throws -> Response {
        if settings.reject { return Response(status: .forbidden) }
        var request = request
        request.headers.append("X-Plugins", name)
        return try await next(request, context)
    }

    static func registry() -> GatewayPluginRegistry {
        let registry = GatewayPluginRegistry()
        for (name, phase) in [("keyAuth", GatewayPluginPhase.authentication), ("cors", .preflight), ("ipRestriction", .access)] {
            registry.register(GatewayPluginFactory(name: name, phase: phase, configuration: Settings.self, credential: Credential.self) { settings, _, _ in
                MarkerPlugin(name: name, settings: settings)
            })
        }
        return registry
    }
}

@Suite struct ConfigurationValidationTests {
    private func load(_ yaml: String, plugins: GatewayPluginRegistry = MarkerPlugin.registry()) throws(GatewayConfigurationError) -> ValidatedGatewayConfiguration {
        let metrics = GatewayMetrics(registry: MetricsRegistry())
        return try GatewayConfigurationLoader(plugins: plugins, logger: quietLogger, metrics: metrics).load(yaml: Array(yaml.utf8), origin: "gateway.yaml")
    }

    private func problems(_ yaml: String) -> [String] {
        do {
            _ = try load(yaml)
            return []
        } catch {
            return error.problems.map(\.message)
        }
    }

    private let upstream = """
        upstreams:
          - name: users
            endpoints: ["127.0.0.1:9001"]
        """

    @Test func decodingErrorNamesFileLineAndKey() {
        let found = problems("""
            \(upstream)
            routes:
              - name: r
                match: {prefix: /}
                upstream: users
                priority: high
            """)
        #expect(found.count == 1)
        #expect(found.first?.contains("gateway.yaml:8:15: routes[0].priority") == true, "\(found)")
    }

    @Test func referencesAreCheckedTogether() {
        let found = problems("""
            \(upstream)
            routes:
              - name: a
                match: {prefix: /a}
                upstream: user
              - name: a
                match: {template: "/b/{id"}
                upstream: users
              - name: c
                match: {prefix: /c}
                upstream: users
                rewrite: {path: "/x/{nope}"}
              - name: d
                match: {prefix: "/d/../e"}
                upstream: users
              - name: e
                match: {prefix: /e}
                upstream: users
                requestHeaders: {set: {"Bad Name": x}}
            """)
        let expected = [
            "route \"a\": upstream: unknown upstream \"user\"; expected one of: users",
            "routes[1].name: duplicate route name \"a\"",
            "route \"a\": match.template: invalid route template \"/b/{id\"",
            "route \"c\": rewrite.path: invalid rewrite path \"/x/{nope}\": unknown parameter {nope}",
            "route \"d\": match.prefix: invalid path \"/d/../e\"",
            "route \"e\": requestHeaders: invalid header name \"Bad Name\"",
        ]
        for message in expected {
            #expect(found.contains { $0.contains(message) }, "missing \(message) in \(found)")
        }
    }

    @Test func unknownPluginAndKeysAreRejected() {
        let found = problems("""
            \(upstream)
            routes:
              - name: r
                match: {prefix: /}
                upstream: users
                plugins:
                  jwt: {}
            """)
        #expect(found.contains { $0.contains("route \"r\": plugins: unknown plugin \"jwt\"; registered plugins: cors, ipRestriction, keyAuth") }, "\(found)")
        let typo = problems("""
            \(upstream)
            routes:
              - name: r
                match: {prefix: /}
                upstream: users
                upstrem: x
            """)
        #expect(typo.contains { $0.contains("routes[0].upstrem") }, "\(typo)")
    }

    @Test func pluginSettingsAreDecodedWithLocations() {
        let found = problems("""
            \(upstream)
            consumers:
              - name: alice
                credentials:
                  keyAuth: {key: 7}
                  cors: {key: x}
            routes:
              - name: r
                match: {prefix: /}
                upstream: users
                plugins:
                  keyAuth: {reject: maybe}
            """)
        #expect(found.contains { $0.contains("route \"r\": plugin keyAuth: gateway.yaml:14:25: routes[0].plugins.keyAuth.reject") }, "\(found)")
    }

    @Test func pluginsRunInPhaseOrder() async throws {
        let validated = try load("""
            \(upstream)
            consumers:
              - name: alice
                credentials:
                  keyAuth: {key: k1}
            routes:
              - name: r
                match: {prefix: /}
                upstream: users
                plugins:
                  keyAuth: {reject: false}
                  cors: {reject: false}
                  ipRestriction: {reject: false}
            """)
        let chain = chain(validated.routes[0].plugins) { request, _ in
            Response.text(request.headers.values(for: "X-Plugins").joined(separator: ","))
        }
        let response = try await chain(Request(head: HTTPRequestHead(method: .get, target: "/")), RequestContext())
        guard case .bytes(let body) = response.body.storage else {
            Issue.record("expected a body of bytes")
            return
        }
        #expect(String(decoding: body, as: UTF8.self) == "cors,ipRestriction,keyAuth")
    }

    @Test func rangesAreChecked() {
        let found = problems("""
            upstreams:
              - name: u
                endpoints: ["example.com:80", "127.0.0.1:0"]
              - name: v
                service: users
                retries: {attempts: 0}
            settings:
              trustedProxies: [10.0.0.0/33]
            """)
        #expect(!found.isEmpty)
        #expect(found.first?.contains("gateway.yaml") == true, "\(found)")
    }

    @Test func validConfigurationLoads() throws {
        let validated = try load("""
            settings:
              trustedProxies: [10.0.0.0/8, "::1"]
              maxBodySize: 1048576
            \(upstream)
              - name: svc
                service: users
                healthCheck: {path: /healthz, interval: 2s}
                circuitBreaker: {consecutiveFailures: 3, openDuration: 5s, dryRun: true}
            routes:
              - name: r
                match: {prefix: /, methods: [GET], hosts: ["*.example.com"]}
                upstream: users
                canary: {version: v2, weight: 10, header: {name: X-Canary, value: "1"}}
                policies:
                  rateLimits:
                    - {key: clientIP, rate: 10, burst: 20}
                    - {key: header, header: X-Api-Key, algorithm: slidingWindow, limit: 100, window: 1m, dryRun: true}
                  concurrency: {limit: 5}
                  bodyLimit: {maxBytes: 1024}
                  fallback: {status: 503, body: "later", serveStale: true}
            """ .replacingOccurrences(of: "settings:\n  trustedProxies", with: "settings:\n  controlPlane: [\"http://127.0.0.1:7700\"]\n  trustedProxies"))
        #expect(validated.configuration.routes.count == 1)
        #expect(validated.configuration.upstreams.count == 2)
    }
}
