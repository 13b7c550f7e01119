import Foundation
import IAMModel
import IAMStorage
import Testing

@Suite(.serialized) struct StoreSchemaTests {
    @Test(arguments: Backend.allCases)
    func migrationsApplyOnce(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        defer { Task { await fixture.close() } }
        #expect(try await fixture.store.schemaVersions() == [1, 2, 3, 4])
        #expect(try await fixture.store.migrate() == [])
    }

    @Test(arguments: Backend.allCases)
    func administratorIsSeeded(backend: Backend) async throws {
        let fixture = try await StoreFixture.open(backend)
        defer { Task { await fixture.close() } }
        let admin = try #require(try await fixture.store.user(named: "admin"))
        #expect(admin.metadata.id == 1)
        #expect(admin.metadata.instanceID == "user-v3z4nq")
        #expect(admin.isAdmin == 1)
        #expect(admin.status == 1)
        #expect(admin.email == "admin@foxmail.com")
        #expect(Bcrypt.verify("Admin@2021", hash: admin.passwordHash))
        let next = try await fixture.store.createUser(makeUser("ana"))
        #expect(next.metadata.id == 38)
        #expect(next.metadata.instanceID == "user-jley3w")
        let secret = try await fixture.store.createSecret(makeSecret("s", owner: "ana"), maxPerOwner: 10)
        #expect(secret.metadata.id == 22)
        #expect(try await fixture.store.createPolicy(makePolicy("p", owner: "ana")).metadata.id == 47)
    }

    @Test func sqliteReopenKeepsData() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-iam-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("iam.db").path
        let first = try await SQLIAMStore.openSQLite(path: path)
        _ = try await first.createUser(makeUser("ana"))
        await first.close()
        let second = try await SQLIAMStore.openSQLite(path: path)
        #expect(try await second.user(named: "ana") != nil)
        #expect(try await second.migrate() == [])
        await second.close()
        await #expect(throws: StorageError.self) { try await second.ping() }
    }

    @Test func sqliteSharedByTwoConnections() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-iam-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("iam.db").path
        async let firstOpen = SQLIAMStore.openSQLite(path: path)
        async let secondOpen = SQLIAMStore.openSQLite(path: path)
        let (first, second) = try await (firstOpen, secondOpen)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { _ = try await store.createPolicy(makePolicy("p\(index)", owner: "ana")) }
            }
            try await group.waitForAll()
        }
        #expect(try await first.listPolicies(owner: "ana", ListQuery()).totalCount == 20)
        #expect(try await second.latestRevision() == 20)
        await first.close()
        await second.close()
    }

    @Test func unreachablePostgresFails() async throws {
        await #expect(throws: (any Error).self) {
            _ = try await SQLIAMStore.openPostgres(url: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
        }
    }
}
