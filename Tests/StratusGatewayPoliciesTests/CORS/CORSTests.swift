@testable import StratusGatewayPolicies
import StratusHTTP
import Testing

@Suite struct CORSTests {
    let configuration = CORSConfiguration(
        allowOrigins: ["https://app.example.com", "https://*.example.org", "http://127.0.0.1:8080"],
        allowMethods: ["GET", "POST", "DELETE"],
        allowHeaders: ["Authorization", "Content-Type"],
        exposeHeaders: ["X-Request-Id"],
        allowCredentials: true,
        maxAge: .seconds(600)
    )

    func chain(_ configuration: CORSConfiguration? = nil) throws -> some HTTPResponder {
        echoResponder([try CORSMiddleware(configuration: configuration ?? self.configuration, logger: quietLogger)])
    }

    func preflight(origin: String?, method: String?, headers: String? = nil, to responder: some HTTPResponder) async throws -> Response {
        var fields = HTTPFields()
        if let origin { fields.append("Origin", origin) }
        if let method { fields.append("Access-Control-Request-Method", method) }
        if let headers { fields.append("Access-Control-Request-Headers", headers) }
        return try await send(.options, "/work", to: responder, headers: fields)
    }

    /// Origin, method, requested headers, and whether the preflight passes.
    static let matrix: [(String, String, String?, Bool)] = [
        ("https://app.example.com", "GET", nil, true),
        ("https://APP.example.com", "POST", "content-type", true),
        ("https://app.example.com:443", "DELETE", "Authorization, Content-Type", true),
        ("https://a.example.org", "GET", nil, true),
        ("https://a.b.example.org", "GET", nil, true),
        ("https://example.org", "GET", nil, false),
        ("https://evil-example.org", "GET", nil, false),
        ("https://a.example.org.evil.com", "GET", nil, false),
        ("http://a.example.org", "GET", nil, false),
        ("https://a.example.org:8443", "GET", nil, false),
        ("http://127.0.0.1:8080", "GET", nil, true),
        ("http://127.0.0.1", "GET", nil, false),
        ("https://app.example.com", "PUT", nil, false),
        ("https://app.example.com", "get", nil, false),
        ("https://app.example.com", "GET", "X-Custom", false),
        ("https://app.example.com", "GET", "content-type, x-custom", false),
        ("null", "GET", nil, false),
        ("https://app.example.com/path", "GET", nil, false),
        ("", "GET", nil, false),
    ]

    @Test(arguments: Self.matrix)
    func preflightMatrix(origin: String, method: String, headers: String?, allowed: Bool) async throws {
        let response = try await preflight(origin: origin, method: method, headers: headers, to: try chain())
        if allowed {
            #expect(response.status == .noContent)
            #expect(response.headers["Access-Control-Allow-Origin"] == origin)
            #expect(response.headers["Access-Control-Allow-Credentials"] == "true")
            #expect(response.headers["Access-Control-Allow-Methods"] == "GET, POST, DELETE")
            #expect(response.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type")
            #expect(response.headers["Access-Control-Max-Age"] == "600")
            #expect(response.headers["Vary"]?.contains("Origin") == true)
        } else {
            #expect(response.status == .forbidden)
            #expect(try await errorCode(response) == "cors_rejected")
            #expect(response.headers["Access-Control-Allow-Origin"] == nil)
        }
    }

    @Test func optionsWithoutPreflightFieldsReachesTheUpstream() async throws {
        let responder = try chain()
        #expect(try await preflight(origin: "https://app.example.com", method: nil, to: responder).status == .ok)
        #expect(try await preflight(origin: nil, method: "GET", to: responder).status == .ok)
    }

    @Test func actualRequestsGetOriginFields() async throws {
        let responder = try chain()
        let allowed = try await send(to: responder, headers: ["Origin": "https://a.example.org"])
        #expect(allowed.status == .ok)
        #expect(allowed.headers["Access-Control-Allow-Origin"] == "https://a.example.org")
        #expect(allowed.headers["Access-Control-Allow-Credentials"] == "true")
        #expect(allowed.headers["Access-Control-Expose-Headers"] == "X-Request-Id")
        #expect(allowed.headers["Vary"] == "Origin")
        let other = try await send(to: responder, headers: ["Origin": "https://evil.example.com"])
        #expect(other.status == .ok, "the upstream still answers; the browser withholds the response")
        #expect(other.headers["Access-Control-Allow-Origin"] == nil)
        #expect(other.headers["Vary"] == "Origin")
        let sameOrigin = try await send(to: responder)
        #expect(sameOrigin.headers["Access-Control-Allow-Origin"] == nil)
    }

    @Test func wildcardWithoutCredentials() async throws {
        let responder = try chain(CORSConfiguration(allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"]))
        let response = try await preflight(origin: "https://anything.test", method: "PATCH", headers: "X-One, X-Two", to: responder)
        #expect(response.status == .noContent)
        #expect(response.headers["Access-Control-Allow-Origin"] == "*")
        #expect(response.headers["Access-Control-Allow-Credentials"] == nil)
        #expect(response.headers["Access-Control-Allow-Methods"] == "PATCH")
        #expect(response.headers["Access-Control-Allow-Headers"] == "x-one, x-two")
        let actual = try await send(to: responder, headers: ["Origin": "https://anything.test"])
        #expect(actual.headers["Access-Control-Allow-Origin"] == "*")
        #expect(actual.headers["Vary"] == nil, "the fields do not depend on Origin")
    }

    @Test func configurationChecked() {
        let cases: [(CORSConfiguration, String)] = [
            (CORSConfiguration(allowOrigins: []), "allowOrigins"),
            (CORSConfiguration(allowOrigins: ["*"], allowCredentials: true), "allowOrigins[0]"),
            (CORSConfiguration(allowOrigins: ["https://a.test", "null"]), "allowOrigins[1]"),
            (CORSConfiguration(allowOrigins: ["ftp://a.test"]), "allowOrigins[0]"),
            (CORSConfiguration(allowOrigins: ["https://a.test/path"]), "allowOrigins[0]"),
            (CORSConfiguration(allowOrigins: ["https://a.*.test"]), "allowOrigins[0]"),
            (CORSConfiguration(allowOrigins: ["https://*."]), "allowOrigins[0]"),
            (CORSConfiguration(allowOrigins: ["https://a.test:99999"]), "allowOrigins[0]"),
            (CORSConfiguration(allowOrigins: ["https://a.test"], allowMethods: ["GET POST"]), "allowMethods[0]"),
            (CORSConfiguration(allowOrigins: ["https://a.test"], allowHeaders: ["bad header"]), "allowHeaders[0]"),
            (CORSConfiguration(allowOrigins: ["https://a.test"], maxAge: .seconds(90_000)), "maxAge"),
        ]
        expectFieldErrors(cases) { (configuration) throws(PolicyConfigurationError) in try configuration.validate() }
    }
}
