import IAMModel
import Testing

@Suite struct JSONWebTokenTests {
    let key = Array("secret-key-123".utf8)

    @Test(arguments: HMACAlgorithm.allCases)
    func signedTokenVerifies(algorithm: HMACAlgorithm) throws {
        let token = JSONWebToken.sign(claims: ["sub": .string("ana"), "exp": .integer(2_000_000_000)], key: key, algorithm: algorithm, header: ["kid": .string("id-1")])
        let parsed = try JSONWebToken.parse(Substring(token))
        #expect(parsed.hmacAlgorithm == algorithm)
        #expect(parsed.header["kid"] == .string("id-1"))
        #expect(parsed.claims["sub"] == .string("ana"))
        #expect(parsed.hasValidSignature(key: key))
        #expect(!parsed.hasValidSignature(key: Array("other".utf8)))
    }

    @Test func tamperedClaimsFailSignature() throws {
        let token = JSONWebToken.sign(claims: ["sub": .string("ana")], key: key)
        let parts = token.split(separator: ".")
        let forged = parts[0] + "." + Base64URL.encode(Array(#"{"sub":"root"}"#.utf8)) + "." + parts[2]
        #expect(try !JSONWebToken.parse(Substring(forged)).hasValidSignature(key: key))
    }

    @Test(arguments: ["", "a.b", "a.b.c.d", "!!.e30.", "e30.bm90IGpzb24.", "W10.e30."])
    func malformedTokensFailToParse(token: String) {
        #expect(throws: JSONWebTokenError.self) { try JSONWebToken.parse(Substring(token)) }
    }

    @Test func timeClaimsFollowJWTGo() throws {
        let now = Timestamp(unixSeconds: 1_000)
        func check(_ claims: [String: JSONValue]) throws(JSONWebTokenError) {
            try JSONWebToken.parse(Substring(JSONWebToken.sign(claims: claims, key: key))).checkTimeClaims(now: now)
        }
        #expect(throws: JSONWebTokenError.expired) { try check(["exp": .integer(999)]) }
        #expect(throws: Never.self) { try check(["exp": .integer(1_000)]) }
        #expect(throws: JSONWebTokenError.usedBeforeIssued) { try check(["iat": .integer(1_001)]) }
        #expect(throws: JSONWebTokenError.notValidYet) { try check(["nbf": .double(1_000.5)]) }
        #expect(throws: Never.self) { try check(["exp": .string("soon")]) }
        #expect(throws: Never.self) { try check([:]) }
    }

    @Test func noneAlgorithmHasNoHMAC() throws {
        let header = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let claims = Base64URL.encode(Array(#"{"sub":"ana"}"#.utf8))
        let parsed = try JSONWebToken.parse(Substring(header + "." + claims + "."))
        #expect(parsed.hmacAlgorithm == nil)
        #expect(!parsed.hasValidSignature(key: key))
    }
}
