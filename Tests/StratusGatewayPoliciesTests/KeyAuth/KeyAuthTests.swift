@testable import StratusGatewayPolicies
import StratusHTTP
import Synchronization
import Testing

@Suite struct KeyAuthTests {
    static let aliceKey = "alice-key-0123456789abcdef"
    static let bobKey = "bob-key-0123456789abcdef"

    let consumers = try! ConsumerRegistry([
        ConsumerConfiguration(username: "alice", keyAuth: [APIKeyCredential(key: aliceKey)]),
        ConsumerConfiguration(username: "bob", customID: "b-7", keyAuth: [APIKeyCredential(keyHash: SHA256Digest(of: bobKey).description)]),
        ConsumerConfiguration(username: "guest"),
    ])

    func responder(_ configuration: KeyAuthConfiguration = KeyAuthConfiguration(), anonymous: String? = nil) throws -> some HTTPResponder {
        let authenticator = try APIKeyAuthenticator(configuration: configuration, consumers: consumers)
        let middleware = AuthenticationMiddleware(authenticators: [authenticator], anonymous: anonymous.flatMap(consumers.consumer(named:)), logger: quietLogger)
        return echoResponder([middleware])
    }

    @Test func keyInHeaderAuthenticates() async throws {
        let chain = try responder()
        for header in ["apikey", "X-API-Key", "x-api-key"] {
            let echo = try await decodeEcho(send(to: chain, headers: [header: Self.aliceKey]))
            #expect(echo.consumer == "alice")
            #expect(echo.values("X-Consumer-Username") == ["alice"])
            #expect(echo.values(header).isEmpty, "the key is hidden from the upstream")
        }
        let bob = try await decodeEcho(send(to: chain, headers: ["apikey": Self.bobKey]))
        #expect(bob.consumer == "bob", "a key configured as its SHA-256")
        #expect(bob.values("X-Consumer-Custom-Id") == ["b-7"])
    }

    @Test func keyKeptWhenNotHidden() async throws {
        let chain = try responder(KeyAuthConfiguration(hideCredentials: false))
        let echo = try await decodeEcho(send(to: chain, headers: ["apikey": Self.aliceKey]))
        #expect(echo.values("apikey") == [Self.aliceKey])
    }

    @Test func keyInQueryRemovedFromForwardedTarget() async throws {
        let chain = try responder(KeyAuthConfiguration(queryParameterNames: ["apikey", "api_key"]))
        let echo = try await decodeEcho(send(.get, "/work?a=1&apikey=\(Self.aliceKey)&b=x%20y&api_key=\(Self.aliceKey)", to: chain))
        #expect(echo.consumer == "alice")
        #expect(echo.target == "/work?a=1&b=x%20y", "other parameters keep their order and encoding")
        let only = try await decodeEcho(send(.get, "/work?apikey=\(Self.aliceKey)", to: chain))
        #expect(only.target == "/work")
        let encodedName = try await decodeEcho(send(.get, "/work?api%6Bey=\(Self.aliceKey)&z=1", to: chain))
        #expect(encodedName.target == "/work?z=1", "names compare after percent-decoding")
    }

    @Test func queryIgnoredUnlessConfigured() async throws {
        let chain = try responder()
        let response = try await send(.get, "/work?apikey=\(Self.aliceKey)", to: chain)
        #expect(response.status == .unauthorized)
        #expect(try await errorCode(response) == "missing_credentials")
    }

    @Test func missingKeyIs401WithChallenge() async throws {
        let response = try await send(to: try responder(KeyAuthConfiguration(realm: "billing")))
        #expect(response.status == .unauthorized)
        #expect(response.headers["WWW-Authenticate"] == "Key realm=\"billing\"")
        #expect(try await errorCode(response) == "missing_credentials")
    }

    @Test func wrongKeysAre401InvalidCredentials() async throws {
        let chain = try responder(KeyAuthConfiguration(queryParameterNames: ["apikey"]))
        let cases: [(String, HTTPFields)] = [
            ("/work", ["apikey": "wrong-key-0123456789abcdef"]),
            ("/work", ["apikey": ""]),
            ("/work", ["apikey": String(repeating: "k", count: 2000)]),
            ("/work", ["apikey": Self.aliceKey, "X-API-Key": Self.bobKey]),
            ("/work?apikey=\(Self.bobKey)", ["apikey": Self.aliceKey]),
            ("/work", ["apikey": Self.aliceKey + " "]),
        ]
        for (target, headers) in cases {
            let response = try await send(.get, target, to: chain, headers: headers)
            #expect(response.status == .unauthorized, "\(target) \(headers)")
            #expect(try await errorCode(response) == "invalid_credentials")
        }
        let sameTwice = try await send(to: chain, headers: ["apikey": Self.aliceKey, "X-API-Key": Self.aliceKey])
        #expect(sameTwice.status == .ok, "the same key twice is not ambiguous")
    }

    @Test func clientConsumerHeadersAreReplaced() async throws {
        let chain = try responder()
        let echo = try await decodeEcho(send(to: chain, headers: ["apikey": Self.aliceKey, "X-Consumer-Username": "admin", "X-Anonymous-Consumer": "true"]))
        #expect(echo.values("X-Consumer-Username") == ["alice"])
        #expect(echo.values("X-Anonymous-Consumer").isEmpty)
    }

    @Test func anonymousConsumerForRequestsWithoutKey() async throws {
        let chain = try responder(anonymous: "guest")
        let echo = try await decodeEcho(send(to: chain, headers: ["X-Consumer-Username": "admin"]))
        #expect(echo.consumer == "guest")
        #expect(echo.values("X-Consumer-Username") == ["guest"])
        #expect(echo.values("X-Anonymous-Consumer") == ["true"])
        let wrong = try await send(to: chain, headers: ["apikey": "wrong-key-0123456789abcdef"])
        #expect(wrong.status == .unauthorized, "a wrong key is rejected even with an anonymous consumer")
    }

    @Test func lookupComparesDigestsInConstantTime() async throws {
        let chain = try responder()
        let before = ConstantTime.comparisons.load(ordering: .relaxed)
        _ = try await send(to: chain, headers: ["apikey": Self.aliceKey])
        #expect(ConstantTime.comparisons.load(ordering: .relaxed) > before)
    }

    @Test func configurationChecked() {
        #expect(throws: PolicyConfigurationError.self) { try KeyAuthConfiguration(headerNames: ["bad header"]).validate() }
        #expect(throws: PolicyConfigurationError.self) { try KeyAuthConfiguration(headerNames: [], queryParameterNames: []).validate() }
        #expect(throws: PolicyConfigurationError.self) { try KeyAuthConfiguration(queryParameterNames: ["a=b"]).validate() }
        #expect(throws: PolicyConfigurationError.self) { try KeyAuthConfiguration(realm: "quote\"realm").validate() }
    }
}
