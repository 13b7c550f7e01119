import IAMModel
import Testing

@Suite struct CryptoTests {
    @Test(arguments: [
        (InstanceID.Kind.user, UInt64(1), "user-v3z4nq"),
        (.user, 38, "user-jley3w"),
        (.secret, 22, "secret-53e537"),
    ])
    func instanceIDMatchesHashids(kind: InstanceID.Kind, id: UInt64, expected: String) {
        #expect(InstanceID.make(kind, id: id) == expected)
    }

    @Test func instanceIDsDiffer() {
        let ids = Set((1...2000).map { InstanceID.make(.policy, id: UInt64($0)) })
        #expect(ids.count == 2000)
    }

    @Test func bcryptVerifiesUpstreamSeedHash() {
        let upstream = "$2a$10$WnQD2DCfWVhlGmkQ8pdLkesIGPf9KJB7N1mhSOqulbgN7ZMo44Mv2"
        #expect(Bcrypt.verify("Admin@2021", hash: upstream))
        #expect(!Bcrypt.verify("Admin@2022", hash: upstream))
    }

    @Test func bcryptHashRoundTrips() {
        let hash = Bcrypt.hash("User@2021", cost: 4)
        #expect(hash.hasPrefix("$2b$04$"))
        #expect(Bcrypt.verify("User@2021", hash: hash))
        #expect(!Bcrypt.verify("user@2021", hash: hash))
        #expect(!Bcrypt.verify("User@2021", hash: "not a hash"))
        #expect(!Bcrypt.verify("User@2021", hash: ""))
    }

    @Test func hmacMatchesRFC4231() {
        // RFC 4231 test case 2: key "Jefe".
        let mac = HMACAlgorithm.sha256.authenticate(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func secretGeneratorLengthsAndAlphabet() {
        let id = SecretGenerator.makeSecretID()
        let key = SecretGenerator.makeSecretKey()
        #expect(id.count == 36)
        #expect(key.count == 32)
        #expect((id + key).allSatisfy { SecretGenerator.alphabet.contains($0) })
        #expect(SecretGenerator.makeSecretID() != id)
    }

    @Test func base64URLRejectsStandardAlphabet() {
        #expect(Base64URL.decode("a+b/") == nil)
        #expect(Base64URL.decode("abcde") == nil)
        #expect(Base64URL.decode(Substring(Base64URL.encode([0xFB, 0xFF]))) == [0xFB, 0xFF])
    }
}

import Foundation
