import Foundation
@testable import StratusGatewayPolicies
import StratusHTTP
import StratusLog
import Synchronization
import Testing

/// An authorization service on loopback that records the checks it receives
/// and responds as the test sets.
final class AuthorizationService: Sendable {
    struct Answer: Sendable {
        var status: HTTPStatus
        var headers: HTTPFields = [:]
        var delay: Duration = .zero
    }

    private let answer = Mutex(Answer(status: .ok))
    private let checks = Mutex<[[UInt8]]>([])
    private let hits = Atomic<Int>(0)

    var checkCount: Int { hits.load(ordering: .relaxed) }
    /// The JSON object of the last check received.
    var lastCheck: [String: Any]? {
        guard let body = checks.withLock({ $0.last }) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    func respond(with answer: Answer) {
        self.answer.withLock { $0 = answer }
    }

    func handle(_ request: Request) async throws -> Response {
        hits.add(1, ordering: .relaxed)
        let body = try await request.body.collect(upTo: 65536)
        checks.withLock { $0.append(body) }
        let answer = self.answer.withLock { $0 }
        if answer.delay > .zero {
            try await Task.sleep(for: answer.delay)
        }
        return Response(status: answer.status, headers: answer.headers)
    }
}

@Suite struct ExtAuthzTests {
    let clocks = ManualClocks()

    /// Builds the middleware. Unless `keepsTimeout`, the check gets 30 s, so
    /// that a machine busy with other tests does not fail it.
    func middleware(_ configuration: ExtAuthzConfiguration, resolver: ServiceResolver? = nil, keepsTimeout: Bool = false, logger: Logger = quietLogger) throws -> ExtAuthzMiddleware {
        var configuration = configuration
        if !keepsTimeout {
            configuration.timeout = .seconds(30)
        }
        return try ExtAuthzMiddleware(
            configuration: configuration, clientAddresses: ClientAddressResolver(trustedProxies: [try CIDR("10.0.0.0/8")]),
            resolveService: resolver, clock: clocks.monotonic, logger: logger
        )
    }

    func withAuthorizationService(_ body: (AuthorizationService, String) async throws -> Void) async throws {
        let service = AuthorizationService()
        try await withServer({ try await service.handle($0) }) { base in
            try await body(service, base)
        }
    }

    @Test func allowForwardsSelectedDataAndAddsUpstreamHeaders() async throws {
        try await withAuthorizationService { service, base in
            service.respond(with: .init(status: .ok, headers: ["X-User-Id": "u-17", "X-Other": "dropped"]))
            let configuration = ExtAuthzConfiguration(url: base + "/authorize", forwardHeaders: ["Authorization", "X-Tenant"], upstreamHeaders: ["X-User-Id"])
            let chain = echoResponder([try middleware(configuration)])
            let headers: HTTPFields = ["Authorization": "Bearer abc", "X-Tenant": "t1", "Cookie": "secret", "X-User-Id": "forged", "X-Forwarded-For": "198.51.100.7"]
            let forwarded = try await decodeEcho(send(.get, "/work?expand=lines", to: chain, headers: headers, remoteAddress: "10.0.0.5:3000"))
            #expect(forwarded.values("X-User-Id") == ["u-17"], "the client's own value is replaced")
            #expect(forwarded.values("X-Other").isEmpty)
            let check = try #require(service.lastCheck)
            #expect(check["method"] as? String == "GET")
            #expect(check["path"] as? String == "/work")
            #expect(check["query"] as? String == "expand=lines")
            #expect(check["client_ip"] as? String == "198.51.100.7")
            #expect(check["headers"] as? [String: String] == ["authorization": "Bearer abc", "x-tenant": "t1"])
            #expect(check["consumer"] == nil)
        }
    }

    @Test func consumerIsForwarded() async throws {
        try await withAuthorizationService { service, base in
            let consumers = try ConsumerRegistry([ConsumerConfiguration(username: "billing", keyAuth: [APIKeyCredential(key: "billing-key-0123456789")])])
            let authentication = AuthenticationMiddleware(authenticators: [try APIKeyAuthenticator(configuration: .init(), consumers: consumers)], logger: quietLogger)
            let chain = echoResponder([authentication, try middleware(ExtAuthzConfiguration(url: base))])
            _ = try await decodeEcho(send(to: chain, headers: ["apikey": "billing-key-0123456789"]))
            #expect(service.lastCheck?["consumer"] as? String == "billing")
        }
    }

    @Test func denyAnswers401Or403() async throws {
        try await withAuthorizationService { service, base in
            let chain = echoResponder([try middleware(ExtAuthzConfiguration(url: base, cacheTTL: .zero, realm: "iam"))])
            service.respond(with: .init(status: .forbidden))
            let forbidden = try await send(to: chain)
            #expect(forbidden.status == .forbidden)
            #expect(try await errorCode(forbidden) == "access_denied")

            service.respond(with: .init(status: .unauthorized, headers: ["WWW-Authenticate": "Bearer realm=\"iam\", scope=\"billing\""]))
            let unauthorized = try await send(to: chain)
            #expect(unauthorized.status == .unauthorized)
            #expect(unauthorized.headers["WWW-Authenticate"] == "Bearer realm=\"iam\", scope=\"billing\"")

            service.respond(with: .init(status: .unauthorized))
            let bare = try await send(to: chain)
            #expect(bare.headers["WWW-Authenticate"] == "Bearer realm=\"iam\"", "a 401 always carries a challenge")
        }
    }

    @Test func failuresCloseByDefaultAndOpenWhenConfigured() async throws {
        try await withAuthorizationService { service, base in
            let logs = CapturedLogs()
            let closed = echoResponder([try middleware(ExtAuthzConfiguration(url: base, cacheTTL: .zero), logger: logs.logger())])
            let open = echoResponder([try middleware(ExtAuthzConfiguration(url: base, failOpen: true, cacheTTL: .zero))])
            let custom = echoResponder([try middleware(ExtAuthzConfiguration(url: base, statusOnError: 503, cacheTTL: .zero))])
            for status in [HTTPStatus.internalServerError, .found, .notFound, .tooManyRequests] {
                service.respond(with: .init(status: status))
                let rejected = try await send(to: closed)
                #expect(rejected.status == .forbidden, "\(status)")
                #expect(try await errorCode(rejected) == "authorization_unavailable")
                #expect(try await send(to: open).status == .ok, "\(status)")
                #expect(try await send(to: custom).status.code == 503)
            }
            let warnings = logs.all.filter { $0.level == .warning }
            #expect(warnings.count == 1, "repeated failures are logged once a second")
        }
    }

    @Test func timeoutFailsTheCheck() async throws {
        try await withAuthorizationService { service, base in
            service.respond(with: .init(status: .ok, delay: .seconds(5)))
            let closed = echoResponder([try middleware(ExtAuthzConfiguration(url: base, timeout: .milliseconds(100), cacheTTL: .zero), keepsTimeout: true)])
            let open = echoResponder([try middleware(ExtAuthzConfiguration(url: base, timeout: .milliseconds(100), failOpen: true, cacheTTL: .zero), keepsTimeout: true)])
            let rejected = try await send(to: closed)
            #expect(rejected.status == .forbidden)
            #expect(try await errorCode(rejected) == "authorization_unavailable")
            #expect(try await send(to: open).status == .ok)
        }
    }

    @Test func unreachableServiceFailsTheCheck() async throws {
        var deadURL = ""
        try await withServer({ _ in Response.text("") }) { base in deadURL = base }
        let chain = echoResponder([try middleware(ExtAuthzConfiguration(url: deadURL + "/authorize"))])
        #expect(try await send(to: chain).status == .forbidden)
    }

    @Test func decisionsAreCachedByForwardedData() async throws {
        try await withAuthorizationService { service, base in
            let authorizer = try middleware(ExtAuthzConfiguration(url: base, cacheTTL: .seconds(5)))
            let chain = echoResponder([authorizer])
            let alice: HTTPFields = ["Authorization": "Bearer alice"]
            #expect(try await send(to: chain, headers: alice).status == .ok)
            #expect(try await send(to: chain, headers: alice).status == .ok)
            #expect(service.checkCount == 1)
            service.respond(with: .init(status: .forbidden))
            #expect(try await send(to: chain, headers: ["Authorization": "Bearer mallory"]).status == .forbidden, "other credentials are another key")
            #expect(try await send(.get, "/work?x=1", to: chain, headers: alice).status == .forbidden, "another query is another key")
            #expect(service.checkCount == 3)
            clocks.advance(by: .seconds(6))
            #expect(try await send(to: chain, headers: alice).status == .forbidden, "the cached allow expired")
            #expect(authorizer.statistics.cacheHits == 1)
        }
    }

    @Test func failuresAreNotCached() async throws {
        try await withAuthorizationService { service, base in
            let chain = echoResponder([try middleware(ExtAuthzConfiguration(url: base, cacheTTL: .seconds(60)))])
            service.respond(with: .init(status: .badGateway))
            #expect(try await send(to: chain).status == .forbidden)
            service.respond(with: .init(status: .ok))
            #expect(try await send(to: chain).status == .ok)
        }
    }

    @Test func serviceNameIsResolved() async throws {
        try await withAuthorizationService { service, base in
            let resolver: ServiceResolver = { name in
                guard name == "iam-authz" else { throw TestKeyError(description: "unknown service \(name)") }
                return base
            }
            let chain = echoResponder([try middleware(ExtAuthzConfiguration(service: "iam-authz", path: "/v1/authorize"), resolver: resolver)])
            #expect(try await send(to: chain).status == .ok)
            let unknown = echoResponder([try middleware(ExtAuthzConfiguration(service: "missing"), resolver: resolver)])
            #expect(try await send(to: unknown).status == .forbidden)
            #expect(throws: PolicyConfigurationError.self) { try middleware(ExtAuthzConfiguration(service: "iam-authz")) }
        }
    }

    @Test func configurationChecked() {
        let cases: [(ExtAuthzConfiguration, String)] = [
            (ExtAuthzConfiguration(), "url"),
            (ExtAuthzConfiguration(url: "http://127.0.0.1:1", service: "x"), "url"),
            (ExtAuthzConfiguration(url: "https://127.0.0.1:1"), "url"),
            (ExtAuthzConfiguration(service: "x", path: "authorize"), "path"),
            (ExtAuthzConfiguration(url: "http://127.0.0.1:1", forwardHeaders: ["bad name"]), "forwardHeaders[0]"),
            (ExtAuthzConfiguration(url: "http://127.0.0.1:1", timeout: .zero), "timeout"),
            (ExtAuthzConfiguration(url: "http://127.0.0.1:1", statusOnError: 200), "statusOnError"),
        ]
        expectFieldErrors(cases) { (configuration) throws(PolicyConfigurationError) in try configuration.validate() }
    }
}
