import Foundation
@testable import StratusGatewayPolicies
import Testing

/// The verifier against keys that openssl generated, with tokens signed by
/// libcrypto, and with every kind of malformed or forged token.
@Suite struct JWTVerifierTests {
    static let secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-secret"
    static let now: Double = 1_800_000_000
    static let claims = #"{"iss":"http://127.0.0.1/iam","sub":"alice","aud":"billing","exp":1800000600,"iat":1800000000}"#

    let keys = TestKeys.shared

    func verifier(_ algorithms: Set<JWTAlgorithm>, policy: JWTClaimsPolicy = JWTClaimsPolicy(issuers: ["http://127.0.0.1/iam"], audiences: ["billing"])) -> JWTVerifier {
        JWTVerifier(algorithms: algorithms, claimsPolicy: policy)
    }

    func keySet() throws -> JWTKeySet {
        JWTKeySet(keys: [
            VerificationKey(keyID: "hmac", algorithm: nil, material: .hmac(secret: Array(Self.secret.utf8))),
            try VerificationKey.publicKey(pem: keys.rsa.publicKeyPEM, keyID: "rsa", algorithm: nil),
            try VerificationKey.publicKey(pem: keys.ec256.publicKeyPEM, keyID: "ec256", algorithm: nil),
            try VerificationKey.publicKey(pem: keys.ec384.publicKeyPEM, keyID: "ec384", algorithm: nil),
        ])
    }

    func sign(_ algorithm: JWTAlgorithm, kid: String?, claims: String = claims) -> String {
        let header = kid.map { #"{"alg":"\#(algorithm.rawValue)","typ":"JWT","kid":"\#($0)"}"# } ?? #"{"alg":"\#(algorithm.rawValue)"}"#
        let signer: ([UInt8]) -> [UInt8]
        switch algorithm.family {
        case .hmac: signer = TokenSigner.hmac(Self.secret, algorithm: algorithm)
        case .rsa: signer = TokenSigner.privateKey(keys.rsa.privateKeyPEM, algorithm: algorithm)
        case .ecdsa: signer = TokenSigner.privateKey(algorithm == .es256 ? keys.ec256.privateKeyPEM : keys.ec384.privateKeyPEM, algorithm: algorithm)
        }
        return TokenSigner.token(header: header, claims: claims, sign: signer)
    }

    @Test(arguments: JWTAlgorithm.allCases)
    func validTokenOfEveryAlgorithm(algorithm: JWTAlgorithm) throws {
        let kid: String
        switch algorithm.family {
        case .hmac: kid = "hmac"
        case .rsa: kid = "rsa"
        case .ecdsa: kid = algorithm == .es256 ? "ec256" : "ec384"
        }
        let result = verifier([algorithm]).verify(sign(algorithm, kid: kid), keys: try keySet(), now: Self.now)
        let token = try result.get()
        #expect(token.subject == "alice")
        #expect(token.issuer == "http://127.0.0.1/iam")
        #expect(token.algorithm == algorithm)
    }

    @Test func tokenWithoutKidTriesEveryKeyOfItsType() throws {
        let result = verifier([.rs256, .es256]).verify(sign(.es256, kid: nil), keys: try keySet(), now: Self.now)
        #expect(try result.get().subject == "alice")
    }

    @Test func algorithmNoneRejected() throws {
        let header = #"{"alg":"none","typ":"JWT"}"#
        let unsigned = TokenSigner.encode(header) + "." + TokenSigner.encode(Self.claims) + "."
        let result = verifier(Set(JWTAlgorithm.allCases)).verify(unsigned, keys: try keySet(), now: Self.now)
        #expect(result.rejection == .algorithmNotAllowed)
        for spelling in ["None", "NONE", "nOnE"] {
            let variant = TokenSigner.encode(#"{"alg":"\#(spelling)"}"#) + "." + TokenSigner.encode(Self.claims) + "."
            #expect(verifier(Set(JWTAlgorithm.allCases)).verify(variant, keys: try keySet(), now: Self.now).rejection == .algorithmNotAllowed)
        }
    }

    @Test func algorithmOutsideAllowListRejected() throws {
        let result = verifier([.rs256]).verify(sign(.hs256, kid: "hmac"), keys: try keySet(), now: Self.now)
        #expect(result.rejection == .algorithmNotAllowed)
    }

    /// The classic confusion: an HS256 token whose HMAC secret is the RSA
    /// public key's PEM text, presented to a route that allows HS256 and
    /// RS256 and has only the RSA key.
    @Test func hs256SignedWithRSAPublicKeyPEMRejected() throws {
        let pem = keys.rsa.publicKeyPEM
        let header = #"{"alg":"HS256","kid":"rsa"}"#
        let forged = TokenSigner.token(header: header, claims: Self.claims, sign: TokenSigner.hmac(pem))
        let rsaOnly = JWTKeySet(keys: [try VerificationKey.publicKey(pem: pem, keyID: "rsa", algorithm: nil)])
        let result = verifier([.hs256, .rs256]).verify(forged, keys: rsaOnly, now: Self.now)
        #expect(result.rejection == .unknownKey, "an RSA key never verifies HS256")
        let withoutKid = TokenSigner.token(header: #"{"alg":"HS256"}"#, claims: Self.claims, sign: TokenSigner.hmac(pem))
        #expect(verifier([.hs256, .rs256]).verify(withoutKid, keys: rsaOnly, now: Self.now).rejection == .unknownKey)
    }

    @Test func ecKeyNeverVerifiesRSAOrOtherCurve() throws {
        let ecOnly = JWTKeySet(keys: [try VerificationKey.publicKey(pem: keys.ec256.publicKeyPEM, keyID: "k", algorithm: nil)])
        #expect(verifier([.rs256]).verify(sign(.rs256, kid: "k"), keys: ecOnly, now: Self.now).rejection == .unknownKey)
        #expect(verifier([.es384]).verify(sign(.es384, kid: "k"), keys: ecOnly, now: Self.now).rejection == .unknownKey)
    }

    @Test func keyPinnedToAlgorithmRejectsOthers() throws {
        let pinned = JWTKeySet(keys: [try VerificationKey.publicKey(pem: keys.rsa.publicKeyPEM, keyID: "rsa", algorithm: .rs512)])
        #expect(verifier([.rs256, .rs512]).verify(sign(.rs256, kid: "rsa"), keys: pinned, now: Self.now).rejection == .unknownKey)
        #expect(verifier([.rs256, .rs512]).verify(sign(.rs512, kid: "rsa"), keys: pinned, now: Self.now).isSuccess)
    }

    @Test func badSignatureRejected() throws {
        for algorithm in [JWTAlgorithm.hs256, .rs256, .es256] {
            let kid = algorithm == .hs256 ? "hmac" : (algorithm == .rs256 ? "rsa" : "ec256")
            let token = sign(algorithm, kid: kid)
            let other = sign(algorithm, kid: kid, claims: #"{"iss":"http://127.0.0.1/iam","sub":"mallory","aud":"billing","exp":1800000600}"#)
            // The header and claims of one token with the signature of another.
            let parts = token.split(separator: ".")
            let swapped = parts[0] + "." + other.split(separator: ".")[1] + "." + parts[2]
            #expect(verifier([algorithm]).verify(String(swapped), keys: try keySet(), now: Self.now).rejection == .badSignature, "\(algorithm)")
        }
    }

    @Test func ecdsaSignatureOfWrongLengthRejected() throws {
        let token = sign(.es256, kid: "ec256")
        let parts = token.split(separator: ".")
        let signature = Base64.decode(parts[2], alphabet: .url)!
        for bad in [Array(signature.dropLast()), signature + [0], [UInt8](repeating: 0, count: 64), Array(signature[32...] + signature[..<32])] {
            let forged = parts[0] + "." + parts[1] + "." + Base64.encode(bad, alphabet: .url)
            #expect(verifier([.es256]).verify(String(forged), keys: try keySet(), now: Self.now).rejection == .badSignature)
        }
    }

    @Test func expiredAndSkew() throws {
        let claims = #"{"iss":"http://127.0.0.1/iam","sub":"alice","aud":"billing","exp":1800000000}"#
        let token = sign(.hs256, kid: "hmac", claims: claims)
        let check = { (now: Double) in self.verifier([.hs256]).verify(token, keys: try self.keySet(), now: now) }
        #expect(try check(1_800_000_000 + 29).isSuccess, "within the 30 s skew")
        #expect(try check(1_800_000_000 + 30).rejection == .expired)
        #expect(try check(1_800_000_000 + 3600).rejection == .expired)
        #expect(JWTRejection.expired.reason == .tokenExpired)
    }

    @Test func notYetValid() throws {
        let claims = #"{"iss":"http://127.0.0.1/iam","sub":"alice","aud":"billing","exp":1800009999,"nbf":1800000100}"#
        let token = sign(.hs256, kid: "hmac", claims: claims)
        #expect(verifier([.hs256]).verify(token, keys: try keySet(), now: 1_800_000_000).rejection == .notYetValid)
        #expect(verifier([.hs256]).verify(token, keys: try keySet(), now: 1_800_000_071).isSuccess, "nbf minus the 30 s skew")
        #expect(JWTRejection.notYetValid.reason == .invalidToken)
    }

    @Test func issuedInTheFuture() throws {
        let claims = #"{"iss":"http://127.0.0.1/iam","sub":"alice","aud":"billing","exp":1800009999,"iat":1800000500}"#
        let token = sign(.hs256, kid: "hmac", claims: claims)
        #expect(verifier([.hs256]).verify(token, keys: try keySet(), now: 1_800_000_000).rejection == .issuedInFuture)
    }

    @Test func missingExpirationWhenRequired() throws {
        let claims = #"{"iss":"http://127.0.0.1/iam","sub":"alice","aud":"billing"}"#
        let token = sign(.hs256, kid: "hmac", claims: claims)
        #expect(verifier([.hs256]).verify(token, keys: try keySet(), now: Self.now).rejection == .missingExpiration)
        let lenient = verifier([.hs256], policy: JWTClaimsPolicy(issuers: ["http://127.0.0.1/iam"], audiences: ["billing"], requiresExpiration: false))
        #expect(lenient.verify(token, keys: try keySet(), now: Self.now).isSuccess)
    }

    @Test func wrongIssuerAndAudience() throws {
        let wrongIssuer = sign(.hs256, kid: "hmac", claims: #"{"iss":"http://127.0.0.1/other","sub":"a","aud":"billing","exp":1800000600}"#)
        #expect(verifier([.hs256]).verify(wrongIssuer, keys: try keySet(), now: Self.now).rejection == .wrongIssuer)
        let noIssuer = sign(.hs256, kid: "hmac", claims: #"{"sub":"a","aud":"billing","exp":1800000600}"#)
        #expect(verifier([.hs256]).verify(noIssuer, keys: try keySet(), now: Self.now).rejection == .wrongIssuer)
        let wrongAudience = sign(.hs256, kid: "hmac", claims: #"{"iss":"http://127.0.0.1/iam","sub":"a","aud":"orders","exp":1800000600}"#)
        #expect(verifier([.hs256]).verify(wrongAudience, keys: try keySet(), now: Self.now).rejection == .wrongAudience)
        let noAudience = sign(.hs256, kid: "hmac", claims: #"{"iss":"http://127.0.0.1/iam","sub":"a","exp":1800000600}"#)
        #expect(verifier([.hs256]).verify(noAudience, keys: try keySet(), now: Self.now).rejection == .wrongAudience)
    }

    @Test func audienceArray() throws {
        let listed = sign(.hs256, kid: "hmac", claims: #"{"iss":"http://127.0.0.1/iam","sub":"a","aud":["orders","billing"],"exp":1800000600}"#)
        #expect(verifier([.hs256]).verify(listed, keys: try keySet(), now: Self.now).isSuccess)
        let unlisted = sign(.hs256, kid: "hmac", claims: #"{"iss":"http://127.0.0.1/iam","sub":"a","aud":["orders"],"exp":1800000600}"#)
        #expect(verifier([.hs256]).verify(unlisted, keys: try keySet(), now: Self.now).rejection == .wrongAudience)
        let mixed = sign(.hs256, kid: "hmac", claims: #"{"iss":"http://127.0.0.1/iam","sub":"a","aud":["billing",7],"exp":1800000600}"#)
        #expect(verifier([.hs256]).verify(mixed, keys: try keySet(), now: Self.now).rejection == .malformedClaims)
    }

    @Test(arguments: [
        #"{"iss":"http://127.0.0.1/iam","aud":"billing","exp":"1800000600"}"#,
        #"{"iss":"http://127.0.0.1/iam","aud":"billing","exp":1800000600,"nbf":true}"#,
        #"{"iss":7,"aud":"billing","exp":1800000600}"#,
        #"{"iss":"http://127.0.0.1/iam","aud":{"x":1},"exp":1800000600}"#,
        #"{"iss":"http://127.0.0.1/iam","aud":"billing","exp":1800000600,"sub":42}"#,
        #"{"iss":"http://127.0.0.1/iam","aud":"billing","exp":1800000600,"exp":1900000000}"#,
        #"["iss"]"#,
        #""just a string""#,
        #"{"iss":"http://127.0.0.1/iam","aud":"billing","exp":1800000600} trailing"#,
        #"{"iss":"http://127.0.0.1/iam","aud":"billing","exp":1e999}"#,
    ])
    func malformedClaimsRejected(claims: String) throws {
        let token = sign(.hs256, kid: "hmac", claims: claims)
        #expect(verifier([.hs256]).verify(token, keys: try keySet(), now: Self.now).rejection == .malformedClaims)
    }

    @Test func duplicateHeaderMemberRejected() throws {
        let header = #"{"alg":"RS256","alg":"HS256","kid":"hmac"}"#
        let token = TokenSigner.token(header: header, claims: Self.claims, sign: TokenSigner.hmac(Self.secret))
        #expect(verifier([.hs256, .rs256]).verify(token, keys: try keySet(), now: Self.now).rejection == .malformedHeader)
    }

    @Test func criticalHeaderRejected() throws {
        let header = #"{"alg":"HS256","kid":"hmac","crit":["exp"],"exp":1}"#
        let token = TokenSigner.token(header: header, claims: Self.claims, sign: TokenSigner.hmac(Self.secret))
        #expect(verifier([.hs256]).verify(token, keys: try keySet(), now: Self.now).rejection == .unsupportedCriticalHeader)
    }

    @Test func embeddedKeyHeaderIgnored() throws {
        // A jwk header naming an attacker's key must not be used to verify.
        let header = #"{"alg":"HS256","jwk":{"kty":"oct","k":"YXR0YWNrZXI"}}"#
        let token = TokenSigner.token(header: header, claims: Self.claims, sign: TokenSigner.hmac("attacker"))
        #expect(verifier([.hs256]).verify(token, keys: try keySet(), now: Self.now).rejection == .badSignature)
    }

    @Test(arguments: [
        "", ".", "..", "a.b", "a.b.c.d", "a.b.c.d.e", "not a token", "eyJhbGciOiJIUzI1NiJ9",
        "eyJhbGciOiJIUzI1NiJ9..sig", "=eyJhbGciOiJIUzI1NiJ9.e30.",
        "eyJhbGciOiJIUzI1NiJ9.e30=.", "eyJhbGciOiJIUzI1NiJ9.e30.a+b/", "eyJhbGciOiJIUzI1NiJ9 .e30.x",
        "eyJhbGciOiJIUzI1NiJ9.e30.x\u{0}", "éyJhbGciOiJIUzI1NiJ9.e30.x",
    ])
    func garbageRejectedAsMalformed(token: String) throws {
        let rejection = verifier([.hs256]).verify(token, keys: try keySet(), now: Self.now).rejection
        #expect(rejection == .malformed || rejection == .malformedHeader, "\(token): \(String(describing: rejection))")
    }

    @Test func emptySignatureRejected() throws {
        let unsigned = TokenSigner.encode(#"{"alg":"HS256"}"#) + "." + TokenSigner.encode(Self.claims) + "."
        #expect(verifier([.hs256]).verify(unsigned, keys: try keySet(), now: Self.now).rejection == .badSignature)
    }

    @Test func truncatedTokensRejected() throws {
        let token = sign(.rs256, kid: "rsa")
        for length in stride(from: 1, to: token.count, by: 7) {
            let truncated = String(token.prefix(length))
            let result = verifier([.rs256]).verify(truncated, keys: try keySet(), now: Self.now)
            #expect(!result.isSuccess, "a token cut to \(length) characters")
        }
    }

    @Test func nonCanonicalBase64Rejected() throws {
        let token = sign(.hs256, kid: "hmac")
        let parts = token.split(separator: ".").map(String.init)
        // The last character of a 43-character signature carries two unused
        // bits; setting one changes the text but not the decoded bytes.
        var signature = Array(parts[2].utf8)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let index = alphabet.firstIndex(of: signature[signature.count - 1])!
        signature[signature.count - 1] = alphabet[index | 1]
        let altered = parts[0] + "." + parts[1] + "." + String(decoding: signature, as: UTF8.self)
        #expect(altered != token)
        #expect(verifier([.hs256]).verify(altered, keys: try keySet(), now: Self.now).rejection == .malformed)
    }

    @Test func oversizedTokenRejectedBeforeParsing() throws {
        let padding = String(repeating: "x", count: 9000)
        let claims = #"{"iss":"http://127.0.0.1/iam","sub":"alice","aud":"billing","exp":1800000600,"pad":"\#(padding)"}"#
        let token = sign(.hs256, kid: "hmac", claims: claims)
        #expect(verifier([.hs256]).verify(token, keys: try keySet(), now: Self.now).rejection == .tooLong)
        let generous = JWTVerifier(algorithms: [.hs256], claimsPolicy: JWTClaimsPolicy(issuers: ["http://127.0.0.1/iam"], audiences: ["billing"]), maxTokenLength: 20_000)
        #expect(generous.verify(token, keys: try keySet(), now: Self.now).isSuccess)
    }

    @Test func shortHMACSecretNeverVerifies() throws {
        let short = JWTKeySet(keys: [VerificationKey(keyID: nil, algorithm: nil, material: .hmac(secret: Array("short".utf8)))])
        let token = TokenSigner.token(header: #"{"alg":"HS256"}"#, claims: Self.claims, sign: TokenSigner.hmac("short"))
        #expect(verifier([.hs256]).verify(token, keys: short, now: Self.now).rejection == .unknownKey)
    }

    @Test func unknownKidRejected() throws {
        #expect(verifier([.rs256]).verify(sign(.rs256, kid: "rotated-away"), keys: try keySet(), now: Self.now).rejection == .unknownKey)
    }

    @Test func smallRSAKeyRejectedAtLoad() {
        #expect(throws: CryptoError.self) {
            try VerificationKey.publicKey(pem: keys.rsaSmall.publicKeyPEM, keyID: nil, algorithm: nil)
        }
    }

    @Test func privateKeyPEMRejectedAsPublicKey() throws {
        let pem = keys.rsa.privateKeyPEM
        #expect(throws: CryptoError.self) {
            try VerificationKey.publicKey(pem: pem, keyID: nil, algorithm: nil)
        }
    }
}

extension Result where Failure == JWTRejection {
    var rejection: JWTRejection? {
        if case .failure(let rejection) = self { return rejection }
        return nil
    }

    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
