import Foundation
@testable import StratusGatewayPolicies
import StratusHTTP
import StratusLog
import Synchronization
import Testing

/// The `jwt` authenticator end to end: configuration, key files, a JWKS
/// server on loopback, consumers and the middleware's responses.
@Suite struct JWTAuthenticatorTests {
    let keys = TestKeys.shared
    let clocks = ManualClocks()
    let consumers = try! ConsumerRegistry([
        ConsumerConfiguration(username: "billing", jwt: [JWTCredential(issuer: "http://127.0.0.1/iam", subject: "billing-service")]),
        ConsumerConfiguration(username: "iam-users", jwt: [JWTCredential(issuer: "http://127.0.0.1/iam")]),
        ConsumerConfiguration(username: "guest"),
    ])

    func claims(subject: String = "alice", expiresIn: Double = 600) -> String {
        let now = clocks.epochSeconds
        return #"{"iss":"http://127.0.0.1/iam","sub":"\#(subject)","aud":"billing","iat":\#(Int(now)),"exp":\#(Int(now + expiresIn))}"#
    }

    func rsaToken(kid: String, pem: [UInt8]? = nil, claims: String? = nil) -> String {
        TokenSigner.token(header: #"{"alg":"RS256","kid":"\#(kid)"}"#, claims: claims ?? self.claims(), sign: TokenSigner.privateKey(pem ?? keys.rsa.privateKeyPEM, algorithm: .rs256))
    }

    func authenticator(_ configuration: JWTConfiguration) throws -> JWTAuthenticator {
        try JWTAuthenticator(configuration: configuration, consumers: consumers, client: HTTPClient(), clock: clocks.wall, monotonicClock: clocks.monotonic, logger: quietLogger)
    }

    func chain(_ authenticator: JWTAuthenticator, anonymous: String? = nil) -> some HTTPResponder {
        echoResponder([AuthenticationMiddleware(authenticators: [authenticator], anonymous: anonymous.flatMap(consumers.consumer(named:)), logger: quietLogger)])
    }

    func withKeyFile<Result>(_ body: (String) async throws -> Result) async throws -> Result {
        try await withTemporaryDirectory { directory in
            try await body(try directory.write(keys.rsa.publicKeyPEM, name: "rsa.pub.pem"))
        }
    }

    @Test func tokenFromKeyFileMapsToConsumers() async throws {
        try await withKeyFile { path in
            let configuration = JWTConfiguration(algorithms: [.rs256], keys: [JWTKeyConfiguration(kid: "k1", publicKeyFile: path)], issuers: ["http://127.0.0.1/iam"], audiences: ["billing"])
            let responder = chain(try authenticator(configuration))
            let service = try await decodeEcho(send(to: responder, headers: ["Authorization": "Bearer " + rsaToken(kid: "k1", claims: claims(subject: "billing-service"))]))
            #expect(service.consumer == "billing")
            #expect(service.subject == "billing-service")
            #expect(service.values("Authorization").count == 1, "tokens are forwarded by default")
            let user = try await decodeEcho(send(to: responder, headers: ["Authorization": "Bearer " + rsaToken(kid: "k1")]))
            #expect(user.consumer == "iam-users")
            #expect(user.values("X-Authenticated-Subject") == ["alice"])
        }
    }

    @Test func failuresGiveBearerChallenges() async throws {
        try await withKeyFile { path in
            let configuration = JWTConfiguration(algorithms: [.rs256], keys: [JWTKeyConfiguration(kid: "k1", publicKeyFile: path)], issuers: ["http://127.0.0.1/iam"], realm: "billing")
            let responder = chain(try authenticator(configuration))

            let missing = try await send(to: responder)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers["WWW-Authenticate"] == "Bearer realm=\"billing\"")
            #expect(try await errorCode(missing) == "missing_credentials")

            let expired = try await send(to: responder, headers: ["Authorization": "Bearer " + rsaToken(kid: "k1", claims: claims(expiresIn: -120))])
            #expect(expired.status == .unauthorized)
            #expect(expired.headers["WWW-Authenticate"] == "Bearer realm=\"billing\", error=\"invalid_token\"")
            #expect(try await errorCode(expired) == "token_expired")

            let garbage = try await send(to: responder, headers: ["Authorization": "Bearer not.a.token"])
            #expect(try await errorCode(garbage) == "invalid_token")
            let empty = try await send(to: responder, headers: ["Authorization": "Bearer "])
            #expect(try await errorCode(empty) == "invalid_token")
            let spaced = try await send(to: responder, headers: ["Authorization": "Bearer a b"])
            #expect(try await errorCode(spaced) == "invalid_token")

            let strangerClaims = #"{"iss":"http://127.0.0.1/iam","sub":"x","exp":\#(Int(clocks.epochSeconds) + 60)}"#
            let otherKey = TokenSigner.token(header: #"{"alg":"RS256","kid":"k1"}"#, claims: strangerClaims, sign: TokenSigner.privateKey(keys.rsaRotated.privateKeyPEM, algorithm: .rs256))
            let forged = try await send(to: responder, headers: ["Authorization": "Bearer " + otherKey])
            #expect(try await errorCode(forged) == "invalid_token")
            let body = String(decoding: try await bodyBytes(forged), as: UTF8.self)
            #expect(!body.contains("signature"), "the reason is not revealed")
        }
    }

    @Test func unmappedIssuerRejected() async throws {
        try await withKeyFile { path in
            let configuration = JWTConfiguration(algorithms: [.rs256], keys: [JWTKeyConfiguration(kid: "k1", publicKeyFile: path)])
            let foreign = #"{"iss":"http://127.0.0.1/other","sub":"x","exp":\#(Int(clocks.epochSeconds) + 60)}"#
            let response = try await send(to: chain(try authenticator(configuration)), headers: ["Authorization": "Bearer " + rsaToken(kid: "k1", claims: foreign)])
            #expect(response.status == .unauthorized)
            #expect(try await errorCode(response) == "invalid_token")
        }
    }

    @Test func hmacSecretsAndAlgorithmConfusionThroughTheMiddleware() async throws {
        try await withKeyFile { path in
            let secret = String(repeating: "k", count: 40)
            let configuration = JWTConfiguration(
                algorithms: [.hs256, .rs256],
                keys: [JWTKeyConfiguration(kid: "h", secret: secret), JWTKeyConfiguration(kid: "r", publicKeyFile: path)]
            )
            let responder = chain(try authenticator(configuration))
            let hmac = TokenSigner.token(header: #"{"alg":"HS256","kid":"h"}"#, claims: claims(), sign: TokenSigner.hmac(secret))
            #expect(try await send(to: responder, headers: ["Authorization": "Bearer " + hmac]).status == .ok)
            let confused = TokenSigner.token(header: #"{"alg":"HS256","kid":"r"}"#, claims: claims(), sign: TokenSigner.hmac(keys.rsa.publicKeyPEM))
            let response = try await send(to: responder, headers: ["Authorization": "Bearer " + confused])
            #expect(response.status == .unauthorized)
            #expect(try await errorCode(response) == "invalid_token")
        }
    }

    @Test func cachedTokenStillExpires() async throws {
        let secret = String(repeating: "k", count: 40)
        let configuration = JWTConfiguration(algorithms: [.hs256], keys: [JWTKeyConfiguration(secret: secret)], clockSkew: .zero, cacheTTL: .seconds(3600))
        let authenticator = try authenticator(configuration)
        let token = TokenSigner.token(header: #"{"alg":"HS256"}"#, claims: claims(expiresIn: 10), sign: TokenSigner.hmac(secret))
        #expect(await authenticator.verify(token).isSuccess)
        #expect(await authenticator.verify(token).isSuccess, "from the cache")
        clocks.advance(by: .seconds(11))
        #expect(await authenticator.verify(token).rejection == .expired, "a cache entry never outlives exp")
    }

    @Test func anonymousOnlyWithoutToken() async throws {
        try await withKeyFile { path in
            let configuration = JWTConfiguration(algorithms: [.rs256], keys: [JWTKeyConfiguration(publicKeyFile: path)])
            let responder = chain(try authenticator(configuration), anonymous: "guest")
            #expect(try await decodeEcho(send(to: responder)).consumer == "guest")
            #expect(try await send(to: responder, headers: ["Authorization": "Bearer x.y.z"]).status == .unauthorized)
        }
    }

    @Test func keyFileErrorsNameTheField() async throws {
        try await withTemporaryDirectory { directory in
            let privatePath = try directory.write(keys.rsa.privateKeyPEM, name: "private.pem")
            let smallPath = try directory.write(keys.rsaSmall.publicKeyPEM, name: "small.pem")
            let cases: [(JWTConfiguration, String)] = [
                (JWTConfiguration(algorithms: [.rs256], keys: [JWTKeyConfiguration(publicKeyFile: "\(directory.path)/missing.pem")]), "keys[0].publicKeyFile"),
                (JWTConfiguration(algorithms: [.rs256], keys: [JWTKeyConfiguration(kid: "a", publicKeyFile: privatePath)]), "keys[0].publicKeyFile"),
                (JWTConfiguration(algorithms: [.rs256], keys: [JWTKeyConfiguration(secret: String(repeating: "s", count: 32)), JWTKeyConfiguration(publicKeyFile: smallPath)]), "keys[1].publicKeyFile"),
                (JWTConfiguration(algorithms: [.hs256], keys: [JWTKeyConfiguration(secret: "too short")]), "keys[0].secret"),
                (JWTConfiguration(algorithms: [.hs256], jwksFile: "\(directory.path)/missing.json"), "jwksFile"),
                (JWTConfiguration(algorithms: []), "algorithms"),
                (JWTConfiguration(algorithms: [.rs256]), "keys"),
                (JWTConfiguration(algorithms: [.rs256], jwksURL: "https://127.0.0.1/jwks"), "jwksURL"),
                (JWTConfiguration(algorithms: [.rs256], jwksURL: "http://127.0.0.1/jwks", clockSkew: .seconds(600)), "clockSkew"),
                (JWTConfiguration(algorithms: [.rs256], jwksURL: "http://127.0.0.1/jwks", maxTokenLength: 100), "maxTokenLength"),
                (JWTConfiguration(algorithms: [.rs256], keys: [JWTKeyConfiguration(algorithm: .rs256, secret: String(repeating: "s", count: 32))]), "keys[0].algorithm"),
                (JWTConfiguration(algorithms: [.rs256], keys: [JWTKeyConfiguration(publicKeyFile: smallPath, secret: "x")]), "keys[0]"),
            ]
            for (configuration, field) in cases {
                do {
                    _ = try authenticator(configuration)
                    Issue.record("expected an error for \(field)")
                } catch let error as PolicyConfigurationError {
                    #expect(error.field == field)
                    #expect(!error.description.contains("too short"), "secrets never appear in errors")
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
        }
    }

    @Test func jwksFileWithHMACAndRSAKeys() async throws {
        try await withTemporaryDirectory { directory in
            let secret = Array(String(repeating: "q", count: 48).utf8)
            let set = #"{"keys":[{"kty":"oct","kid":"h","k":"\#(Base64.encode(secret, alphabet: .url))"},\#(TokenSigner.jwk(publicKeyPEM: keys.rsa.publicKeyPEM, kid: "r"))]}"#
            let path = try directory.write(set, name: "jwks.json")
            let responder = chain(try authenticator(JWTConfiguration(algorithms: [.hs384, .rs256], jwksFile: path)))
            let hmac = TokenSigner.token(header: #"{"alg":"HS384","kid":"h"}"#, claims: claims(), sign: TokenSigner.hmac(secret, algorithm: .hs384))
            #expect(try await send(to: responder, headers: ["Authorization": "Bearer " + hmac]).status == .ok)
            #expect(try await send(to: responder, headers: ["Authorization": "Bearer " + rsaToken(kid: "r")]).status == .ok)
        }
    }
}

/// A JWKS server whose key set a test changes and which it can make fail.
final class JWKSServerState: Sendable {
    private let body = Mutex("")
    private let failing = Atomic<Bool>(false)
    private let requests = Atomic<Int>(0)

    var requestCount: Int { requests.load(ordering: .relaxed) }

    func serve(_ set: String) {
        body.withLock { $0 = set }
    }

    func setFailing(_ value: Bool) {
        failing.store(value, ordering: .relaxed)
    }

    func respond(_ request: Request) -> Response {
        requests.add(1, ordering: .relaxed)
        if failing.load(ordering: .relaxed) {
            return Response.text("down", status: .serviceUnavailable)
        }
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: OutgoingBody(string: body.withLock { $0 }))
    }
}

@Suite struct RemoteJWKSTests {
    let keys = TestKeys.shared
    let clocks = ManualClocks()
    let consumers = try! ConsumerRegistry([ConsumerConfiguration(username: "iam-users", jwt: [JWTCredential(issuer: "http://127.0.0.1/iam")])])

    func token(kid: String, pem: [UInt8]) -> String {
        let claims = #"{"iss":"http://127.0.0.1/iam","sub":"alice","exp":\#(Int(clocks.epochSeconds) + 600)}"#
        return TokenSigner.token(header: #"{"alg":"RS256","kid":"\#(kid)"}"#, claims: claims, sign: TokenSigner.privateKey(pem, algorithm: .rs256))
    }

    func set(_ entries: [(kid: String, pem: [UInt8])]) -> String {
        #"{"keys":[\#(entries.map { TokenSigner.jwk(publicKeyPEM: $0.pem, kid: $0.kid) }.joined(separator: ","))]}"#
    }

    func authenticator(url: String) throws -> JWTAuthenticator {
        let configuration = JWTConfiguration(algorithms: [.rs256], jwksURL: url, jwksRefreshInterval: .seconds(300), jwksMinRefreshInterval: .seconds(10), jwksTimeout: .seconds(30))
        return try JWTAuthenticator(configuration: configuration, consumers: consumers, client: HTTPClient(), clock: clocks.wall, monotonicClock: clocks.monotonic, logger: quietLogger)
    }

    @Test func kidRotationFetchesTheNewSet() async throws {
        let server = JWKSServerState()
        server.serve(set([("old", keys.rsa.publicKeyPEM)]))
        try await withServer({ server.respond($0) }) { base in
            let authenticator = try authenticator(url: base + "/jwks.json")
            #expect(try await authenticator.verify(token(kid: "old", pem: keys.rsa.privateKeyPEM)).get().subject == "alice")
            #expect(server.requestCount == 1)

            // The issuer rotates to a new key; the first token naming it
            // triggers a refresh once the minimum interval has passed.
            server.serve(set([("new", keys.rsaRotated.publicKeyPEM)]))
            clocks.advance(by: .seconds(11))
            #expect(try await authenticator.verify(token(kid: "new", pem: keys.rsaRotated.privateKeyPEM)).get().subject == "alice")
            #expect(server.requestCount == 2)
            #expect(await authenticator.verify(token(kid: "old", pem: keys.rsa.privateKeyPEM)).rejection == .unknownKey, "the old key is gone")
        }
    }

    @Test func cachedTokenOutlivesItsKeyUntilTheTTL() async throws {
        for cacheTTL in [Duration.seconds(30), .zero] {
            let server = JWKSServerState()
            server.serve(set([("old", keys.rsa.publicKeyPEM)]))
            try await withServer({ server.respond($0) }) { base in
                let configuration = JWTConfiguration(algorithms: [.rs256], jwksURL: base + "/jwks.json", cacheTTL: cacheTTL)
                let authenticator = try JWTAuthenticator(
                    configuration: configuration, consumers: consumers, client: HTTPClient(), clock: clocks.wall, monotonicClock: clocks.monotonic, logger: quietLogger
                )
                let old = token(kid: "old", pem: keys.rsa.privateKeyPEM)
                #expect(await authenticator.verify(old).isSuccess)

                server.serve(set([("new", keys.rsaRotated.publicKeyPEM)]))
                clocks.advance(by: .seconds(11))
                await authenticator.remoteKeys?.refresh()
                if cacheTTL == .zero {
                    #expect(await authenticator.verify(old).rejection == .unknownKey, "without a cache the removed key fails at once")
                } else {
                    #expect(await authenticator.verify(old).isSuccess, "the verified token is cached")
                    clocks.advance(by: .seconds(20))
                    #expect(await authenticator.verify(old).rejection == .unknownKey, "the entry expired after the TTL")
                }
            }
        }
    }

    @Test func unknownKidRefreshesAtMostOncePerInterval() async throws {
        let server = JWKSServerState()
        server.serve(set([("k", keys.rsa.publicKeyPEM)]))
        try await withServer({ server.respond($0) }) { base in
            let authenticator = try authenticator(url: base + "/jwks.json")
            _ = await authenticator.verify(token(kid: "k", pem: keys.rsa.privateKeyPEM))
            clocks.advance(by: .seconds(11))
            for index in 0..<20 {
                #expect(await authenticator.verify(token(kid: "made-up-\(index)", pem: keys.rsa.privateKeyPEM)).rejection == .unknownKey)
            }
            #expect(server.requestCount == 2, "one initial fetch and one refresh for twenty unknown key IDs")
        }
    }

    @Test func serverDownKeepsTheLastGoodKeys() async throws {
        let server = JWKSServerState()
        server.serve(set([("k", keys.rsa.publicKeyPEM)]))
        let logs = CapturedLogs()
        try await withServer({ server.respond($0) }) { base in
            let configuration = JWTConfiguration(
                algorithms: [.rs256], jwksURL: base + "/jwks.json", jwksRefreshInterval: .seconds(60), jwksMinRefreshInterval: .seconds(10), jwksTimeout: .seconds(30)
            )
            let authenticator = try JWTAuthenticator(configuration: configuration, consumers: consumers, client: HTTPClient(), clock: clocks.wall, monotonicClock: clocks.monotonic, logger: logs.logger())
            let good = token(kid: "k", pem: keys.rsa.privateKeyPEM)
            #expect(await authenticator.verify(good).isSuccess)

            server.setFailing(true)
            clocks.advance(by: .seconds(61))
            // The stale set triggers a background refresh that fails.
            #expect(await authenticator.verify(good).isSuccess)
            try await waitUntil("the refresh failed") { authenticator.remoteKeys?.fetchCounts.failed == 1 }
            #expect(await authenticator.verify(good).isSuccess, "the last good keys are kept")
            #expect(logs.all.contains { $0.level == .warning && $0.message.contains("JWKS fetch failed") })

            // An invalid set is a failure too.
            server.setFailing(false)
            server.serve(#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}"#)
            await authenticator.remoteKeys?.refresh()
            #expect(authenticator.remoteKeys?.fetchCounts.failed == 2)
            #expect(await authenticator.verify(good).isSuccess)
        }
    }

    @Test func unreachableServerBeforeAnyKeys() async throws {
        // A port where nothing listens: the server was started and stopped.
        var deadURL = ""
        try await withServer({ _ in Response.text("") }) { base in deadURL = base }
        let authenticator = try authenticator(url: deadURL + "/jwks.json")
        #expect(await authenticator.verify(token(kid: "k", pem: keys.rsa.privateKeyPEM)).rejection == .unknownKey)
        #expect(authenticator.remoteKeys?.fetchCounts.started == 1, "the unknown kid does not fetch again within the interval")
    }
}
