import IAMModel
import IAMStorage
import Testing

@Suite(.serialized) struct StoreAuditTests {
    static func record(_ id: String, user: String, effect: String, at seconds: Int64) -> AuditRecord {
        AuditRecord(
            id: id, timestamp: seconds, username: user, effect: effect, conclusion: "c", request: "{}", policies: "[]",
            deciders: "[]", expireAt: Timestamp(unixSeconds: seconds + 100), requestID: "q-\(id)", instance: "authz-1"
        )
    }

    @Test(arguments: Backend.allCases)
    func insertIsIdempotentAndAggregates(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let store = fixture.store
        let batch = [
            Self.record("1", user: "ana", effect: "allow", at: 3_600),
            Self.record("2", user: "ana", effect: "deny", at: 3_700),
            Self.record("3", user: "bob", effect: "allow", at: 7_300),
        ]
        #expect(try await store.insertAuditRecords(batch) == 3)
        #expect(try await store.insertAuditRecords(batch) == 0)
        #expect(try await store.recentAuditRecords(limit: 1) == [batch[2]])
        #expect(try await store.aggregateAuditRecords(bucketSeconds: 3_600) == 3)
        #expect(try await store.aggregateAuditRecords(bucketSeconds: 3_600) == 0)
        _ = try await store.insertAuditRecords([Self.record("4", user: "ana", effect: "allow", at: 3_601)])
        #expect(try await store.aggregateAuditRecords(bucketSeconds: 3_600) == 1)
        #expect(try await store.auditStatistics() == [
            AuditStatistic(bucket: 3_600, username: "ana", allowed: 2, denied: 1),
            AuditStatistic(bucket: 7_200, username: "bob", allowed: 1, denied: 0),
        ])
        #expect(try await store.purgeAuditRecords(expiredBefore: Timestamp(unixSeconds: 3_800)) == 2)
        #expect(try await store.recentAuditRecords(limit: 10).map(\.id) == ["3", "2"])
        await fixture.close()
    }
}
