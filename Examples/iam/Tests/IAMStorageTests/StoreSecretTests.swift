import IAMModel
import IAMStorage
import Testing

@Suite(.serialized) struct StoreSecretTests {
    @Test(arguments: Backend.allCases)
    func createUpdateDeleteWithEvents(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let store = fixture.store
        let created = try await store.createSecret(makeSecret("ci", owner: "ana", expires: 0), maxPerOwner: 10)
        #expect(created.metadata.instanceID.hasPrefix("secret-"))
        #expect(try await store.secret(owner: "ana", name: "ci") == created)
        #expect(try await store.secret(owner: "bob", name: "ci") == nil)

        let later = baseTime.adding(seconds: 9)
        let updated = try #require(try await store.updateSecret(owner: "ana", name: "ci", expires: 123, description: "", extend: ["k": .integer(1)], at: later))
        #expect(updated.expires == 123)
        #expect(updated.description == "")
        #expect(updated.secretKey == created.secretKey)
        #expect(updated.metadata.updatedAt == later)
        #expect(try await store.updateSecret(owner: "bob", name: "ci", expires: 0, description: "", extend: [:], at: later) == nil)

        #expect(try await store.deleteSecrets(owner: "ana", names: ["ci", "missing"], at: later) == 1)
        #expect(try await store.deleteSecrets(owner: "ana", names: ["missing"], at: later) == 0)
        let events = try await store.changes(after: 0, limit: 10)
        #expect(events.map(\.operation) == [.create, .update, .delete, .delete])
        #expect(events.map(\.revision) == events.map(\.revision).sorted())
        #expect(events[2].secretIDs == [created.secretID])
        #expect(events[3].secretIDs == [])
        #expect(try await store.changes(after: events[1].revision, limit: 1).map(\.revision) == [events[2].revision])
        #expect(try await store.latestRevision() == events[3].revision)
        await fixture.close()
    }

    @Test(arguments: Backend.allCases)
    func limitCheckedBeforeDuplicate(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let store = fixture.store
        _ = try await store.createSecret(makeSecret("a", owner: "ana"), maxPerOwner: 2)
        await #expect { try await store.createSecret(makeSecret("a", owner: "ana"), maxPerOwner: 2) } throws: { ($0 as? StorageError)?.code == .duplicate }
        _ = try await store.createSecret(makeSecret("b", owner: "ana"), maxPerOwner: 2)
        await #expect { try await store.createSecret(makeSecret("a", owner: "ana"), maxPerOwner: 2) } throws: { ($0 as? StorageError)?.code == .limitReached }
        _ = try await store.createSecret(makeSecret("a", owner: "bob"), maxPerOwner: 2)
        #expect(try await store.allSecrets().count == 3)
        #expect(try await store.latestRevision() == 3)
        await fixture.close()
    }

    @Test(arguments: Backend.allCases)
    func listAndExpiredCleanup(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let store = fixture.store
        _ = try await store.createSecret(makeSecret("never", owner: "ana", expires: 0), maxPerOwner: 10)
        _ = try await store.createSecret(makeSecret("old", owner: "ana", expires: 100), maxPerOwner: 10)
        _ = try await store.createSecret(makeSecret("new", owner: "ana", expires: 5_000), maxPerOwner: 10)
        _ = try await store.createSecret(makeSecret("old", owner: "bob", expires: 200), maxPerOwner: 10)
        let list = try await store.listSecrets(owner: "ana", ListQuery(limit: 2))
        #expect(list.totalCount == 3)
        #expect(list.items.map(\.name) == ["new", "old"])
        #expect(try await store.listSecrets(owner: "ana", ListQuery(nameContains: "ne")).items.map(\.name) == ["new", "never"])
        #expect(try await store.listSecrets(owner: "cy", ListQuery()).totalCount == 0)

        let before = try await store.latestRevision()
        #expect(try await store.deleteSecrets(expiredBefore: 1_000, at: baseTime) == 2)
        #expect(try await store.allSecrets().map(\.name).sorted() == ["never", "new"])
        let events = try await store.changes(after: before, limit: 10)
        #expect(events.map(\.owner) == ["ana", "bob"])
        await fixture.close()
    }

    @Test(arguments: Backend.allCases)
    func limitHoldsAcrossConnections(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let other = try await fixture.openAnother()
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                let store = index.isMultiple(of: 2) ? fixture.store : other
                group.addTask {
                    do {
                        _ = try await store.createSecret(makeSecret("s\(index)", owner: "ana"), maxPerOwner: 10)
                        return true
                    } catch let error as StorageError where error.code == .limitReached {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count { $0 } == 10)
        #expect(try await fixture.store.listSecrets(owner: "ana", ListQuery()).totalCount == 10)
        await other.close()
        await fixture.close()
    }
}

@Suite(.serialized) struct StoreRelayTests {
    @Test(arguments: Backend.allCases)
    func relayPositionRoundTrips(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        #expect(try await fixture.store.relayPosition("bus") == 0)
        try await fixture.store.setRelayPosition("bus", to: 7)
        try await fixture.store.setRelayPosition("bus", to: 9)
        #expect(try await fixture.store.relayPosition("bus") == 9)
        #expect(try await fixture.store.relayPosition("other") == 0)
        await fixture.close()
    }
}
