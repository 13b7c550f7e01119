@testable import StratusGatewayPolicies
import Testing

@Suite struct Base64Tests {
    @Test(arguments: [[UInt8](), [0], [0, 1], [0, 1, 2], [255, 254, 253, 252], Array(0...255)])
    func roundTripsBothAlphabets(bytes: [UInt8]) {
        #expect(Base64.decode(Base64.encode(bytes, alphabet: .url), alphabet: .url) == bytes)
        #expect(Base64.decode(Base64.encode(bytes, alphabet: .standard), alphabet: .standard) == bytes)
    }

    @Test func knownVectorsFromRFC4648() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (text, encoded) in vectors {
            #expect(Base64.encode(Array(text.utf8), alphabet: .standard) == encoded)
            #expect(Base64.decode(encoded, alphabet: .standard) == Array(text.utf8))
        }
        #expect(Base64.encode([0xfb, 0xff], alphabet: .url) == "-_8")
        #expect(Base64.encode([0xfb, 0xff], alphabet: .standard) == "+/8=")
    }

    @Test(arguments: ["Zg", "Zg=", "Z===", "Zm9v\n", " Zm9v", "Zm-v", "Zm_v", "Zh==", "Zm9=", "=Zm9"])
    func standardRejectsMalformed(text: String) {
        #expect(Base64.decode(text, alphabet: .standard) == nil)
    }

    @Test(arguments: ["Zg==", "Zm9v=", "Z", "Zm+v", "Zm/v", "Zh", "Zm9", "a b", "ab\u{0}"])
    func urlRejectsMalformed(text: String) {
        // "Zh" and "Zm9" carry nonzero unused bits; "Zg==" has padding.
        #expect(Base64.decode(text, alphabet: .url) == nil)
    }

    @Test func urlRejectsNonzeroUnusedBits() {
        #expect(Base64.decode("Zg", alphabet: .url) == [0x66])
        #expect(Base64.decode("Zh", alphabet: .url) == nil)
        #expect(Base64.decode("Zm8", alphabet: .url) == [0x66, 0x6f])
        #expect(Base64.decode("Zm9", alphabet: .url) == nil)
    }
}
