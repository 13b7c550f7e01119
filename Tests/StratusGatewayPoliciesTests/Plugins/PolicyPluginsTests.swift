import Foundation
@testable import StratusGatewayPolicies
import StratusHTTP
import StratusKit
import StratusStore
import Testing

/// A route's `plugins:` mapping as the gateway reads it: each plugin's name
/// with a decoder of its value.
struct PluginMap: Decodable {
    var plugins: [PolicyPlugins.Plugin]

    private struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Name.self)
        plugins = try container.allKeys.map { PolicyPlugins.Plugin(name: $0.stringValue, decoder: try container.superDecoder(forKey: $0)) }
    }
}

/// Configuration decoded by StratusKit's loader from YAML, as the gateway does.
@Suite struct PolicyPluginsTests {
    static let yaml = """
        trustedProxies: ["10.0.0.0/8"]
        consumers:
          - name: billing
            credentials:
              keyAuth:
                - key: billing-key-0123456789
            rateLimit: {rate: 1, burst: 2}
          - name: guest
        routes:
          - name: invoices
            plugins:
              rateLimit: {rate: 100, key: consumer}
              keyAuth: {anonymous: guest}
              cors: {allowOrigins: ["https://app.example.com"], allowHeaders: [apikey]}
              ipRestriction: {allow: ["198.51.100.0/24"]}
        """

    func load(_ yaml: String) throws -> (ConfigurationLoader, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let path = try directory.write(yaml, name: "gateway.yaml")
        return (ConfigurationLoader(file: path, environment: [:]), directory)
    }

    func environment(_ loader: ConfigurationLoader) throws -> PolicyEnvironment {
        let consumers = try ConsumerRegistry(try loader.load([ConsumerConfiguration].self, at: "consumers") ?? [])
        let proxies = try ClientAddressResolver(try loader.load(TrustedProxiesConfiguration.self))
        return PolicyEnvironment(routeName: "invoices", consumers: consumers, clientAddresses: proxies, httpClient: HTTPClient(), logger: quietLogger)
    }

    @Test func yamlRouteBuildsMiddlewareInFixedOrder() async throws {
        let (loader, directory) = try load(Self.yaml)
        defer { directory.remove() }
        let map = try #require(try loader.load(PluginMap.self, at: "routes[0].plugins"))
        #expect(map.plugins.map(\.name) == ["rateLimit", "keyAuth", "cors", "ipRestriction"])
        let middleware = try PolicyPlugins.makeMiddleware(map.plugins, environment: try environment(loader))
        #expect(middleware.count == 4)
        #expect(middleware[0] is IPRestrictionMiddleware)
        #expect(middleware[1] is CORSMiddleware)
        #expect(middleware[2] is AuthenticationMiddleware)
        #expect(middleware[3] is GatewayRateLimitMiddleware)

        let chain = echoResponder(middleware)
        let client = "10.0.0.1:5000"
        let forwarded: HTTPFields = ["X-Forwarded-For": "198.51.100.20"]
        var preflight = forwarded
        preflight.append("Origin", "https://app.example.com")
        preflight.append("Access-Control-Request-Method", "GET")
        preflight.append("Access-Control-Request-Headers", "apikey")
        #expect(try await send(.options, "/work", to: chain, headers: preflight, remoteAddress: client).status == .noContent, "a preflight needs no key")

        var withKey = forwarded
        withKey.append("apikey", "billing-key-0123456789")
        #expect(try await decodeEcho(send(to: chain, headers: withKey, remoteAddress: client)).consumer == "billing")
        #expect(try await send(to: chain, headers: withKey, remoteAddress: client).status == .ok)
        let limited = try await send(to: chain, headers: withKey, remoteAddress: client)
        #expect(limited.status == .tooManyRequests, "the consumer's own burst of 2 applies")
        #expect(limited.headers["Retry-After"] == "1")

        #expect(try await decodeEcho(send(to: chain, headers: forwarded, remoteAddress: client)).consumer == "guest")
        #expect(try await send(to: chain, headers: withKey, remoteAddress: "203.0.113.1:5").status == .forbidden)
    }

    @Test func routeWithoutAuthenticationStripsConsumerFields() async throws {
        let (loader, directory) = try load("""
            plugins:
              rateLimit: {rate: 100}
            """)
        defer { directory.remove() }
        let map = try #require(try loader.load(PluginMap.self, at: "plugins"))
        let middleware = try PolicyPlugins.makeMiddleware(map.plugins, environment: PolicyEnvironment(routeName: "r", httpClient: HTTPClient(), logger: quietLogger))
        #expect(middleware.first is ConsumerHeaderSanitizer)
        let forwarded = try await decodeEcho(send(to: echoResponder(middleware), headers: ["X-Consumer-Username": "admin"]))
        #expect(forwarded.values("X-Consumer-Username").isEmpty)
    }

    func buildError(_ yaml: String) throws -> (any Error)? {
        let (loader, directory) = try load(yaml)
        defer { directory.remove() }
        do {
            let map = try #require(try loader.load(PluginMap.self, at: "plugins"))
            _ = try PolicyPlugins.makeMiddleware(map.plugins, environment: try environment(loader))
            return nil
        } catch {
            return error
        }
    }

    @Test func invalidValuesNameThePluginField() throws {
        let cases: [(String, String)] = [
            ("plugins:\n  jwt: {algorithms: [HS256], keys: [{secret: short}]}", "jwt.keys[0].secret"),
            ("plugins:\n  cors: {allowOrigins: ['*'], allowCredentials: true}", "cors.allowOrigins[0]"),
            ("plugins:\n  ipRestriction: {deny: [10.0.0.1/8]}", "ipRestriction.deny[0]"),
            ("plugins:\n  keyAuth: {anonymous: nobody}", "keyAuth.anonymous"),
            ("plugins:\n  rateLimit: {rate: 10, scope: cluster}", "rateLimit.scope"),
            ("plugins:\n  rateLimit: {rate: 10, key: header}", "rateLimit.header"),
            ("plugins:\n  extAuthz: {service: iam-authz}", "extAuthz.service"),
            ("plugins:\n  oauth: {}", "plugins"),
            ("consumers: [{name: a}, {name: b}]\nplugins:\n  keyAuth: {anonymous: a}\n  basicAuth: {anonymous: b}", "basicAuth.anonymous"),
        ]
        for (yaml, field) in cases {
            let error = try buildError(yaml)
            #expect((error as? PolicyConfigurationError)?.field == field, "\(yaml): \(String(describing: error))")
        }
        let secretError = try buildError("plugins:\n  jwt: {algorithms: [HS256], keys: [{secret: short}]}")
        #expect(!"\(String(describing: secretError))".contains("short"), "the secret is not in the message")
    }

    @Test func wrongTypesFailInTheLoaderWithTheKeyPath() throws {
        let none = try buildError("plugins:\n  jwt: {algorithms: [none], keys: [{secret: '0123456789abcdef0123456789abcdef'}]}")
        let error = try #require(none as? ConfigurationError)
        #expect(error.keyPath == "plugins.jwt.algorithms[0]")
        #expect(error.description.contains("HS256"))
        let duration = try buildError("plugins:\n  basicAuth: {cacheTTL: 60}")
        #expect((duration as? ConfigurationError)?.keyPath == "plugins.basicAuth.cacheTTL")
    }

    @Test func durationsReadFromText() throws {
        let (loader, directory) = try load("jwt: {algorithms: [RS256], jwksURL: 'http://127.0.0.1:9/jwks', clockSkew: 45s, jwksRefreshInterval: 2m}")
        defer { directory.remove() }
        let configuration = try #require(try loader.load(JWTConfiguration.self, at: "jwt"))
        #expect(configuration.clockSkew == .seconds(45))
        #expect(configuration.jwksRefreshInterval == .seconds(120))
        #expect(configuration.jwksTimeout == .seconds(5))
    }

    /// The plugins of the example of docs/gateway-security.md, built
    /// without the gateway.
    @Test func documentationExampleBuilds() async throws {
        let (loader, directory) = try load("""
            trustedProxies: ["10.0.0.0/8"]
            consumers:
              - name: billing-app
                credentials:
                  keyAuth:
                    - keyHash: "sha256:0b0dad4080ba33f6785c296bf66e2ba506951e57ebce5bc39216ae7a464297b1"
                rateLimit: {rate: 50, burst: 100}
              - name: iam-users
                credentials:
                  jwt:
                    - issuer: "http://127.0.0.1:9000/iam"
              - name: guest
            routes:
              - name: invoices
                path: /v1/invoices
                plugins:
                  ipRestriction: {allow: ["10.0.0.0/8", "198.51.100.0/24"]}
                  cors: {allowOrigins: ["https://app.example.com"], allowHeaders: [Authorization, apikey]}
                  jwt:
                    algorithms: [RS256]
                    jwksURL: "http://127.0.0.1:9000/.well-known/jwks.json"
                    issuers: ["http://127.0.0.1:9000/iam"]
                    audiences: [billing-api]
                  keyAuth: {anonymous: guest}
                  extAuthz: {service: iam-authz, path: /v1/authorize, upstreamHeaders: [X-User-Id]}
                  rateLimit: {rate: 100, key: consumer, scope: cluster, replicas: 3}
            """)
        defer { directory.remove() }
        var environment = try environment(loader)
        environment.resolveService = { _ in "http://127.0.0.1:9" }
        let store = try EmbeddedStore(configuration: .init(path: nil))
        environment.store = store
        let map = try #require(try loader.load(PluginMap.self, at: "routes[0].plugins"))
        let middleware = try PolicyPlugins.makeMiddleware(map.plugins, environment: environment)
        #expect(middleware.count == 5)
        #expect(try loader.load([ConsumerConfiguration].self, at: "consumers")?.first?.keyAuth.first?.keyHash?.hasPrefix("sha256:") == true)
        await store.close()
    }
}
