import Foundation
@testable import StratusGatewayPolicies
import StratusHTTP
import Testing

@Suite struct BasicAuthTests {
    static let hashes: [PasswordHash.Method: PasswordHash] = {
        var hashes: [PasswordHash.Method: PasswordHash] = [:]
        for method in PasswordHash.Method.allCases {
            // The cheapest costs, so the suite stays fast.
            hashes[method] = PasswordHash.make(password: "correct horse", method: method, cost: method == .bcrypt ? 4 : (method == .sha512crypt ? 1000 : 1))
        }
        return hashes
    }()

    func consumers() throws -> ConsumerRegistry {
        try ConsumerRegistry([
            ConsumerConfiguration(username: "yes", basicAuth: [BasicAuthCredential(username: "ann", passwordHash: try #require(Self.hashes[.yescrypt]).encoded)]),
            ConsumerConfiguration(username: "sha", basicAuth: [BasicAuthCredential(username: "ben", passwordHash: try #require(Self.hashes[.sha512crypt]).encoded)]),
            ConsumerConfiguration(username: "bcr", basicAuth: [BasicAuthCredential(username: "cid", passwordHash: try #require(Self.hashes[.bcrypt]).encoded)]),
            ConsumerConfiguration(username: "unicode", basicAuth: [BasicAuthCredential(username: "zoë", passwordHash: try #require(PasswordHash.make(password: "pässwörd", method: .sha512crypt, cost: 1000)).encoded)]),
        ])
    }

    func responder(_ configuration: BasicAuthConfiguration = BasicAuthConfiguration(), clocks: ManualClocks = ManualClocks()) throws -> (some HTTPResponder, BasicAuthenticator) {
        let authenticator = try BasicAuthenticator(configuration: configuration, consumers: try consumers(), clock: clocks.monotonic)
        return (echoResponder([AuthenticationMiddleware(authenticators: [authenticator], logger: quietLogger)]), authenticator)
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Base64.encode(Array("\(user):\(password)".utf8), alphabet: .standard)
    }

    @Test func hashesOfEachMethodVerify() throws {
        for (method, hash) in Self.hashes {
            #expect(hash.method == method)
            #expect(hash.verify("correct horse"), "\(method)")
            #expect(!hash.verify("correct horsf"), "\(method)")
            #expect(!hash.verify(""), "\(method)")
            #expect(!hash.verify("correct horse\u{0}x"), "\(method)")
        }
        #expect(Self.hashes[.yescrypt]?.encoded.hasPrefix("$y$") == true)
        #expect(Self.hashes[.sha512crypt]?.encoded.hasPrefix("$6$") == true)
        #expect(Self.hashes[.bcrypt]?.encoded.hasPrefix("$2b$") == true)
    }

    @Test func opensslGeneratedHashVerifies() async throws {
        // `openssl passwd -6` writes sha512-crypt, as operators may use it.
        try await withTemporaryDirectory { directory in
            let output = "\(directory.path)/hash"
            try TestKeys.runOpenSSL(["passwd", "-6", "-salt", "abcdefgh", "hunter2"], directory: directory.path, outputPath: output)
            let encoded = try String(contentsOfFile: output, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let hash = try PasswordHash(encoded)
            #expect(hash.verify("hunter2"))
            #expect(!hash.verify("hunter3"))
        }
    }

    @Test(arguments: ["", "plain", "$1$abc$def", "$5$abc$def", "$y$", "$6$", "$2b$04$short", "abcdefghijklm"])
    func unacceptableHashesRejected(encoded: String) {
        #expect(throws: PasswordHash.InvalidHash.self) { try PasswordHash(encoded) }
    }

    @Test func validPasswordsAuthenticate() async throws {
        let (chain, _) = try responder()
        for (user, consumer) in [("ann", "yes"), ("ben", "sha"), ("cid", "bcr")] {
            let echo = try await decodeEcho(send(to: chain, headers: ["Authorization": Self.basic(user, "correct horse")]))
            #expect(echo.consumer == consumer)
            #expect(echo.subject == user)
            #expect(echo.values("Authorization").isEmpty, "credentials are hidden by default")
            #expect(echo.values("X-Authenticated-Subject") == [user])
        }
        let unicode = try await decodeEcho(send(to: chain, headers: ["Authorization": Self.basic("zoë", "pässwörd")]))
        #expect(unicode.consumer == "unicode")
        let lowercaseScheme = try await send(to: chain, headers: ["Authorization": "basic " + Base64.encode(Array("ann:correct horse".utf8), alphabet: .standard)])
        #expect(lowercaseScheme.status == .ok, "the scheme is case-insensitive")
    }

    @Test func wrongCredentialsRejected() async throws {
        let (chain, _) = try responder(BasicAuthConfiguration(realm: "billing"))
        let cases = [
            Self.basic("ann", "wrong"),
            Self.basic("nobody", "correct horse"),
            Self.basic("ann", ""),
            Self.basic("", "correct horse"),
            "Basic " + Base64.encode(Array("no-colon".utf8), alphabet: .standard),
            "Basic !!!notbase64",
            "Basic YW5uOmNvcnJlY3QgaG9yc2U",  // missing padding
            "Basic",
            "Basic " + Base64.encode([0x61, 0x3a, 0xff, 0xfe], alphabet: .standard),
            "Basic " + String(repeating: "A", count: 5000),
        ]
        for field in cases {
            let response = try await send(to: chain, headers: ["Authorization": field])
            #expect(response.status == .unauthorized, "\(field.prefix(40))")
            #expect(try await errorCode(response) == "invalid_credentials", "\(field.prefix(40))")
            #expect(response.headers["WWW-Authenticate"] == "Basic realm=\"billing\", charset=\"UTF-8\"")
        }
        let twice = try await send(to: chain, headers: [("Authorization", Self.basic("ann", "correct horse")), ("Authorization", Self.basic("ben", "correct horse"))].reduce(into: HTTPFields()) { $0.append($1.0, $1.1) })
        #expect(twice.status == .unauthorized)
    }

    @Test func otherSchemesAreNotBasicCredentials() async throws {
        let (chain, _) = try responder()
        let response = try await send(to: chain, headers: ["Authorization": "Bearer abc"])
        #expect(try await errorCode(response) == "missing_credentials")
        #expect(response.headers["WWW-Authenticate"] == "Basic realm=\"stratus\", charset=\"UTF-8\"")
    }

    @Test func verifiedPairsAreCachedUntilTheTTL() async throws {
        let clocks = ManualClocks()
        let (chain, _) = try responder(BasicAuthConfiguration(cacheTTL: .seconds(60)), clocks: clocks)
        let field = Self.basic("ann", "correct horse")
        #expect(try await send(to: chain, headers: ["Authorization": field]).status == .ok)
        #expect(try await send(to: chain, headers: ["Authorization": field]).status == .ok)
        clocks.advance(by: .seconds(61))
        #expect(try await send(to: chain, headers: ["Authorization": field]).status == .ok)
        #expect(try await send(to: chain, headers: ["Authorization": Self.basic("ann", "wrong")]).status == .unauthorized, "a cached pair does not admit other passwords")
    }

    @Test func configurationChecked() {
        #expect(throws: PolicyConfigurationError.self) { try BasicAuthConfiguration(realm: "").validate() }
        #expect(throws: PolicyConfigurationError.self) { try BasicAuthConfiguration(maxConcurrentHashes: 0).validate() }
    }
}
