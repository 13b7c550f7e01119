import IAMHTTP
import IAMModel
import Testing

/// Splitting audit batches into request bodies that fit a receiver's
/// limit, as the authorization server does before it sends them.
@Suite struct AuditBatchPartsTests {
    /// Returns a record whose JSON is a little over `policyBytes` long, like
    /// the record of a user with many policies.
    static func record(_ index: Int, policyBytes: Int) -> AuditRecord {
        AuditRecord(
            id: "record-\(index)", timestamp: 1_796_000_000, username: "bench", effect: "allow",
            conclusion: "policies member-\(index) allow access", request: #"{"action":"read"}"#,
            policies: "[" + String(repeating: "p", count: policyBytes) + "]", deciders: "[]",
            expireAt: Timestamp(unixSeconds: 1_796_000_000), requestID: "request-\(index)", instance: "iam-authz-server-0"
        )
    }

    @Test func partsFitLimitInOrder() throws {
        let records = (0..<50).map { Self.record($0, policyBytes: 30_000) }
        let parts = try AuditBatch(records: records).encodedParts(maxBytes: 100_000)
        #expect(parts.count > 1)
        #expect(parts.flatMap(\.batch.records) == records)
        for part in parts {
            #expect(part.body.count <= 100_000)
            #expect(part.body == (try JSONCoding.encode(part.batch)))
            #expect(try JSONCoding.decode(AuditBatch.self, from: part.body).records == part.batch.records)
        }
    }

    @Test func smallBatchIsOnePart() throws {
        let batch = AuditBatch(records: (0..<3).map { Self.record($0, policyBytes: 100) })
        let parts = try batch.encodedParts(maxBytes: 1 << 20)
        #expect(parts.count == 1)
        #expect(parts.first?.body == (try JSONCoding.encode(batch)))
    }

    @Test func emptyBatchIsOnePart() throws {
        let parts = try AuditBatch(records: []).encodedParts(maxBytes: 1 << 20)
        #expect(parts.count == 1)
        #expect(parts.first.map { String(decoding: $0.body, as: UTF8.self) } == #"{"records":[]}"#)
    }

    /// A record larger than the limit cannot be split. It goes alone, and
    /// the records around it still share parts that fit.
    @Test func oversizedRecordGoesAlone() throws {
        let records = [Self.record(0, policyBytes: 100), Self.record(1, policyBytes: 5_000), Self.record(2, policyBytes: 100)]
        let parts = try AuditBatch(records: records).encodedParts(maxBytes: 2_000)
        #expect(parts.map { $0.batch.records.map(\.id) } == [["record-0"], ["record-1"], ["record-2"]])
        #expect(parts[1].body.count > 2_000)
        #expect(parts[0].body.count <= 2_000)
        #expect(parts[2].body.count <= 2_000)
    }
}
