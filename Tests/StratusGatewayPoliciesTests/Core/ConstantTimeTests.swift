@testable import StratusGatewayPolicies
import StratusHTTP
import Synchronization
import Testing

@Suite struct ConstantTimeTests {
    @Test func equalsComparesContentAndLength() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
    }

    @Test func digestEqualityUsesConstantTimeComparison() {
        let before = ConstantTime.comparisons.load(ordering: .relaxed)
        #expect(SHA256Digest(of: "a-long-api-key-0001") == SHA256Digest(of: "a-long-api-key-0001"))
        #expect(ConstantTime.comparisons.load(ordering: .relaxed) > before)
    }

    @Test func sha256KnownVector() {
        // SHA-256("abc"), FIPS 180-2, appendix B.1.
        #expect(SHA256Digest(of: "abc").description == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // A collection without contiguous bytes is copied first, with the same digest.
        #expect(SHA256Digest(of: Array("cba".utf8).reversed()) == SHA256Digest(of: "abc"))
        #expect(SHA256Digest(hex: "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD") == SHA256Digest(of: "abc"))
        #expect(SHA256Digest(hex: "ba78") == nil)
        #expect(SHA256Digest(hex: String(repeating: "g", count: 64)) == nil)
    }

    @Test func failureBodyAndChallenges() async throws {
        let failure = PolicyFailure(.invalidToken, challenges: ["Bearer realm=\"a\", error=\"invalid_token\"", "Key realm=\"a\""])
        let response = failure.response
        #expect(response.status == .unauthorized)
        #expect(response.headers.values(for: "WWW-Authenticate").count == 2)
        #expect(response.headers["Content-Type"] == "application/json")
        let body = String(decoding: try await bodyBytes(response), as: UTF8.self)
        #expect(body == "{\"error\":{\"code\":\"invalid_token\",\"message\":\"the token is invalid\"}}\n")
    }

    @Test func everyReasonHasAStatusAndMessage() {
        for reason in PolicyFailureReason.allCases {
            #expect([401, 403].contains(reason.defaultStatus.code))
            #expect(!reason.message.contains("\""))
        }
        #expect(PolicyFailureReason.allCases.map(\.rawValue).sorted() == [
            "access_denied", "address_not_allowed", "authorization_unavailable", "cors_rejected", "invalid_credentials",
            "invalid_token", "missing_credentials", "token_expired",
        ])
    }
}
