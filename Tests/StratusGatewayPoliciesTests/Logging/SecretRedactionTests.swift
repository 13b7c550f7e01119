@testable import StratusGatewayPolicies
import StratusHTTP
import StratusLog
import Testing

/// Secrets that requests carry never reach the policies' logs.
@Suite struct SecretRedactionTests {
    static let apiKey = "secret-api-key-0123456789"
    static let password = "hunter2-password"
    static let secret = String(repeating: "z", count: 40)

    @Test func rejectedCredentialsAreNotLogged() async throws {
        let logs = CapturedLogs()
        let hash = try #require(PasswordHash.make(password: "right", method: .sha512crypt, cost: 1000))
        let consumers = try ConsumerRegistry([
            ConsumerConfiguration(username: "a", keyAuth: [APIKeyCredential(key: "other-key-0123456789")], basicAuth: [BasicAuthCredential(username: "ann", passwordHash: hash.encoded)]),
        ])
        let jwt = try JWTAuthenticator(
            configuration: JWTConfiguration(algorithms: [.hs256], keys: [JWTKeyConfiguration(secret: Self.secret)]),
            consumers: consumers, client: HTTPClient(), logger: logs.logger()
        )
        let middleware = AuthenticationMiddleware(
            authenticators: [jwt, try APIKeyAuthenticator(configuration: .init(), consumers: consumers), try BasicAuthenticator(configuration: .init(), consumers: consumers)],
            logger: logs.logger()
        )
        let chain = echoResponder([middleware])
        let token = TokenSigner.token(header: #"{"alg":"HS256"}"#, claims: #"{"iss":"x","exp":1}"#, sign: TokenSigner.hmac(Self.secret))
        let basic = "Basic " + Base64.encode(Array("ann:\(Self.password)".utf8), alphabet: .standard)
        _ = try await send(to: chain, headers: ["apikey": Self.apiKey])
        _ = try await send(to: chain, headers: ["Authorization": "Bearer " + token])
        _ = try await send(to: chain, headers: ["Authorization": basic])
        _ = try await send(to: chain)

        let text = logs.text
        #expect(logs.all.filter { $0.level == .debug }.count == 4, "each rejection is logged")
        for secret in [Self.apiKey, token, Self.password, basic, Base64.encode(Array("ann:\(Self.password)".utf8), alphabet: .standard)] {
            #expect(!text.contains(secret))
        }
        #expect(text.contains("token_expired"))
        #expect(text.contains("invalid_credentials"))
        #expect(text.contains("wrong password"), "the detail is logged for operators")
    }

    @Test func urlQueriesAreRedactedInLogs() async throws {
        let logs = CapturedLogs()
        var deadURL = ""
        try await withServer({ _ in Response.text("") }) { base in deadURL = base }
        let configuration = JWTConfiguration(algorithms: [.rs256], jwksURL: deadURL + "/jwks.json?access_token=sekrit-token&tenant=t1")
        let authenticator = try JWTAuthenticator(configuration: configuration, consumers: .empty, client: HTTPClient(), logger: logs.logger())
        await authenticator.remoteKeys?.refresh()
        let warning = try #require(logs.all.first { $0.level == .warning })
        #expect(!logs.text.contains("sekrit-token"))
        #expect(warning.metadata["url.full"]?.description.contains("access_token=[REDACTED]&tenant=t1") == true)

        let authorizer = try ExtAuthzMiddleware(configuration: ExtAuthzConfiguration(url: deadURL + "/authorize?api_key=sekrit-key"), logger: logs.logger())
        _ = try await send(to: echoResponder([authorizer]), headers: ["Authorization": "Bearer sekrit-bearer"])
        #expect(!logs.text.contains("sekrit-key"))
        #expect(!logs.text.contains("sekrit-bearer"))
    }

    @Test func redactedURLKeepsOtherParameters() {
        #expect(LogText.redactedURL("http://127.0.0.1/jwks") == "http://127.0.0.1/jwks")
        #expect(LogText.redactedURL("http://127.0.0.1/a?token=x&b=2") == "http://127.0.0.1/a?token=[REDACTED]&b=2")
        #expect(LogText.redacting("http://h/a?api_key=k", in: "cannot connect to http://h/a?api_key=k: refused") == "cannot connect to http://h/a?api_key=[REDACTED]: refused")
    }
}
