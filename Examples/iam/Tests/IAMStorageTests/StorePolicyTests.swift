import IAMModel
import IAMStorage
import Testing

@Suite(.serialized) struct StorePolicyTests {
    @Test(arguments: Backend.allCases)
    func createUpdateAndRuleRoundTrip(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let store = fixture.store
        let created = try await store.createPolicy(makePolicy("readers", owner: "ana"))
        #expect(created.policy.id == "readers")
        #expect(created.policy.conditions == ["ip": .cidr(cidr: "10.0.0.0/8")])
        #expect(try await store.policy(owner: "ana", name: "readers") == created)
        await #expect { try await store.createPolicy(makePolicy("readers", owner: "ana")) } throws: { ($0 as? StorageError)?.code == .duplicate }

        let rule = LadonPolicy(id: "ignored", description: "broken <", subjects: ["a<b"], effect: "deny", meta: [1, 2])
        let updated = try #require(try await store.updatePolicy(owner: "ana", name: "readers", rule: rule, extend: [:], at: baseTime.adding(seconds: 1)))
        #expect(updated.policy.id == "readers")
        #expect(updated.policy.subjects == ["a<b"])
        #expect(updated.policy.meta == [1, 2])
        #expect(updated.policy.resources == nil)
        #expect(try await store.updatePolicy(owner: "bob", name: "readers", rule: rule, extend: [:], at: baseTime) == nil)
        await fixture.close()
    }

    @Test(arguments: Backend.allCases)
    func deleteCollectionArchives(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let store = fixture.store
        for name in ["a", "b", "c"] {
            _ = try await store.createPolicy(makePolicy(name, owner: "ana"))
        }
        _ = try await store.createPolicy(makePolicy("a", owner: "bob"))
        #expect(try await store.allPolicies().map(\.name) == ["a", "c", "b", "a"])
        #expect(try await store.deletePolicies(owner: "ana", names: ["a", "c", "zz"], at: baseTime) == 2)
        #expect(try await store.listPolicies(owner: "ana", ListQuery()).items.map(\.name) == ["b"])
        #expect(try await store.policy(owner: "bob", name: "a") != nil)
        #expect(try await store.archivedPolicyCount() == 2)
        let last = try #require(try await store.changes(after: 0, limit: 100).last)
        #expect(last.names == ["a", "c", "zz"])
        #expect(try await store.purgeArchivedPolicies(deletedBefore: baseTime) == 0)
        #expect(try await store.purgeArchivedPolicies(deletedBefore: baseTime.adding(seconds: 1)) == 2)
        await fixture.close()
    }
}
