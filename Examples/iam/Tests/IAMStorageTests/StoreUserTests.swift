import IAMModel
import IAMStorage
import Testing

@Suite(.serialized) struct StoreUserTests {
    @Test(arguments: Backend.allCases)
    func createGetUpdate(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let store = fixture.store
        let created = try await store.createUser(makeUser("ana"))
        #expect(created.name == "ana")
        #expect(created.metadata.extend == ["team": .string("core")])
        #expect(created.metadata.createdAt == baseTime)

        var changed = created
        changed.nickname = "Ana B"
        changed.phone = ""
        changed.metadata.extend = [:]
        let later = baseTime.adding(seconds: 5)
        let updated = try #require(try await store.updateUser(changed, at: later))
        #expect(updated.nickname == "Ana B")
        #expect(updated.phone == "")
        #expect(updated.metadata.extend.isEmpty)
        #expect(updated.metadata.updatedAt == later)
        #expect(updated.metadata.createdAt == baseTime)

        var missing = changed
        missing.metadata.name = "nobody"
        #expect(try await store.updateUser(missing, at: later) == nil)
        #expect(try await store.user(named: "nobody") == nil)

        #expect(try await store.setPasswordHash("$2b$04$other", forUser: "ana", at: later))
        #expect(try await store.user(named: "ana")?.passwordHash == "$2b$04$other")
        #expect(try await !store.setPasswordHash("x", forUser: "nobody", at: later))
        try await store.recordLogin(ofUser: "ana", at: later)
        #expect(try await store.user(named: "ana")?.loginedAt == later)
        await fixture.close()
    }

    @Test(arguments: Backend.allCases)
    func duplicateNameIsRejected(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        _ = try await fixture.store.createUser(makeUser("ana"))
        await #expect { try await fixture.store.createUser(makeUser("ana")) } throws: { ($0 as? StorageError)?.code == .duplicate }
        await #expect { try await fixture.store.createUser(makeUser("admin")) } throws: { ($0 as? StorageError)?.code == .duplicate }
        #expect(try await fixture.store.listUsers(ListQuery()).totalCount == 2)
        await fixture.close()
    }

    @Test(arguments: Backend.allCases)
    func listPagesAndFilters(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let store = fixture.store
        for name in ["ana", "bob", "anabel", "cy"] {
            _ = try await store.createUser(makeUser(name))
        }
        let all = try await store.listUsers(ListQuery())
        #expect(all.totalCount == 5)
        #expect(all.items.map(\.name) == ["cy", "anabel", "bob", "ana", "admin"])
        let page = try await store.listUsers(ListQuery(offset: 1, limit: 2))
        #expect(page.totalCount == 5)
        #expect(page.items.map(\.name) == ["anabel", "bob"])
        let unlimited = try await store.listUsers(ListQuery(offset: 3, limit: 0))
        #expect(unlimited.items.map(\.name) == ["ana", "admin"])
        let filtered = try await store.listUsers(ListQuery(nameContains: "ana"))
        #expect(filtered.totalCount == 2)
        #expect(filtered.items.map(\.name) == ["anabel", "ana"])
        #expect(try await store.listUsers(ListQuery(nameContains: "ANA")).totalCount == 0)
        #expect(try await store.listUsers(ListQuery(nameContains: "%")).totalCount == 0)

        #expect(try await store.disableUsers(lastLoginBefore: baseTime.adding(seconds: 1), at: baseTime) == 4)
        #expect(try await store.listUsers(ListQuery()).items.map(\.name) == ["admin"])
        #expect(try await store.user(named: "ana")?.status == 0)
        await fixture.close()
    }

    @Test(arguments: Backend.allCases)
    func deleteCascadesAndArchives(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        let store = fixture.store
        _ = try await store.createUser(makeUser("ana"))
        _ = try await store.createUser(makeUser("bob"))
        let secret = try await store.createSecret(makeSecret("s1", owner: "ana"), maxPerOwner: 10)
        _ = try await store.createPolicy(makePolicy("p1", owner: "ana"))
        _ = try await store.createPolicy(makePolicy("p2", owner: "ana"))
        _ = try await store.createPolicy(makePolicy("p1", owner: "bob"))
        #expect(try await store.user(named: "ana")?.totalPolicy == 2)
        let before = try await store.latestRevision()

        let deleted = try await store.deleteUsers(named: ["ana", "nobody", "ana"], at: baseTime)
        #expect(deleted == ["ana"])
        #expect(try await store.user(named: "ana") == nil)
        #expect(try await store.secret(owner: "ana", name: "s1") == nil)
        #expect(try await store.listPolicies(owner: "ana", ListQuery()).items.isEmpty)
        #expect(try await store.listPolicies(owner: "bob", ListQuery()).totalCount == 1)
        #expect(try await store.archivedPolicyCount() == 2)
        let events = try await store.changes(after: before, limit: 10)
        #expect(events.map(\.kind) == [.secretChanged, .policyChanged])
        #expect(events[0].secretIDs == [secret.secretID])
        #expect(Set(events[1].names) == ["p1", "p2"])
        #expect(events.allSatisfy { $0.owner == "ana" })
        #expect(events.allSatisfy { $0.operation == .delete })
        #expect(try await store.deleteUsers(named: [], at: baseTime) == [])
        await fixture.close()
    }
}
