@testable import StratusGatewayPolicies
import Testing

@Suite struct JWKSetParserTests {
    let keys = TestKeys.shared

    func parse(_ json: String, symmetric: Bool = false) throws -> JWKSetParser.Output {
        try JWKSetParser(allowsSymmetricKeys: symmetric).parse(Array(json.utf8))
    }

    @Test func rsaAndECKeysParse() throws {
        let set = #"{"keys":[\#(TokenSigner.jwk(publicKeyPEM: keys.rsa.publicKeyPEM, kid: "r1", alg: "RS256")),\#(TokenSigner.jwk(publicKeyPEM: keys.ec256.publicKeyPEM, kid: "e1")),\#(TokenSigner.jwk(publicKeyPEM: keys.ec384.publicKeyPEM, kid: "e2"))]}"#
        let output = try parse(set)
        #expect(output.keys.map(\.keyID) == ["r1", "e1", "e2"])
        #expect(output.keys[0].algorithm == .rs256)
        #expect(output.keys[0].supports(.rs256))
        #expect(!output.keys[0].supports(.rs512), "alg pins the key")
        #expect(output.keys[1].supports(.es256))
        #expect(!output.keys[1].supports(.es384))
        #expect(output.keys[2].supports(.es384))
        #expect(output.skipped.isEmpty)
    }

    @Test func unusableKeysSkippedWithReasons() throws {
        let rsa = TokenSigner.jwk(publicKeyPEM: keys.rsa.publicKeyPEM, kid: "good")
        let set = #"""
            {"keys":[
              \#(rsa),
              {"kty":"OKP","crv":"Ed25519","x":"AAAA"},
              {"kty":"EC","crv":"P-521","x":"AA","y":"AA"},
              {"kty":"RSA","n":"AQAB","e":"AQAB","use":"enc"},
              {"kty":"RSA","n":"AQAB","e":"AQAB","key_ops":["encrypt"]},
              {"kty":"RSA","n":"AQAB","e":"AQAB","alg":"PS256"},
              {"kty":"RSA","n":"AQAB","e":"AQAB"},
              {"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"},
              {"kty":"EC","crv":"P-256","x":"\#(String(repeating: "A", count: 43))","y":"\#(String(repeating: "A", count: 43))"},
              {"kty":"oct","k":"c2VjcmV0"},
              {"kid":7,"kty":"RSA"},
              "not an object"
            ]}
            """#
        let output = try parse(set)
        #expect(output.keys.map(\.keyID) == ["good"])
        #expect(output.skipped.count == 11)
        #expect(output.skipped.contains { $0.hasPrefix("keys[1]") && $0.contains("OKP") })
        #expect(output.skipped.contains { $0.hasPrefix("keys[6]") }, "a 17-bit modulus")
        #expect(output.skipped.contains { $0.hasPrefix("keys[8]") }, "a point off the curve")
    }

    @Test func octKeysOnlyWhereAllowed() throws {
        let secret = Base64.encode(Array(String(repeating: "s", count: 32).utf8), alphabet: .url)
        let set = #"{"keys":[{"kty":"oct","kid":"h","k":"\#(secret)"}]}"#
        #expect(try parse(set).keys.isEmpty)
        #expect(try parse(set, symmetric: true).keys.first?.supports(.hs256) == true)
        let short = #"{"keys":[{"kty":"oct","k":"c2hvcnQ"}]}"#
        #expect(try parse(short, symmetric: true).keys.isEmpty, "shorter than 32 bytes")
    }

    @Test(arguments: [#"[]"#, #"{"keys":{}}"#, #"{"keys":[],"keys":[]}"#, #"{}"#, "not json"])
    func invalidSetsRejected(json: String) {
        #expect(throws: JWKSetParser.InvalidSet.self) { try parse(json) }
    }

    @Test func tooManyKeysRejected() {
        let set = #"{"keys":[\#(Array(repeating: "{}", count: 101).joined(separator: ","))]}"#
        #expect(throws: JWKSetParser.InvalidSet.self) { try parse(set) }
    }
}
