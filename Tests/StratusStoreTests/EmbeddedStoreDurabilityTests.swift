import StratusTestSupport
import Testing
@testable import StratusStore

@Suite struct EmbeddedStoreDurabilityTests {
    @Test func durableKeysSurviveReopen() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualNanosecondClock()
        var store: EmbeddedStore? = try EmbeddedStore(configuration: .testing(path: directory.databasePath, clock: clock))
        try await store!.put("a", "1")
        try await store!.put("b", "2")
        try await store!.put("a", "3")
        try await store!.delete("b")
        await store!.close()
        store = nil

        let reopened = try EmbeddedStore(configuration: .testing(path: directory.databasePath, clock: clock))
        let a = try #require(try await reopened.get("a"))
        #expect(a.valueString == "3")
        #expect(a.version == 2)
        #expect(a.createRevision == 1)
        #expect(a.modRevision == 3)
        #expect(try await reopened.get("b") == nil)
        #expect(try await reopened.put("c", "4") == 5)
        await reopened.close()
    }

    @Test func leasedKeysAreNotKept() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualNanosecondClock()
        let store = try EmbeddedStore(configuration: .testing(path: directory.databasePath, clock: clock))
        let lease = try await store.grantLease(ttl: 10)
        try await store.put("durable", "x")
        try await store.put("leased", "y", lease: lease.id)
        try await store.put("durable", "z", lease: lease.id)
        await store.close()

        let reopened = try EmbeddedStore(configuration: .testing(path: directory.databasePath, clock: clock))
        #expect(try await reopened.get("leased") == nil)
        #expect(try await reopened.get("durable") == nil)
        let revision = try await reopened.list(prefix: "").revision
        #expect(revision == 3)
        await reopened.close()
    }

    @Test func secondOpenIsRejected() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualNanosecondClock()
        let store = try EmbeddedStore(configuration: .testing(path: directory.databasePath, clock: clock))
        try await store.put("a", "1")
        #expect(throws: StoreError.self) {
            _ = try EmbeddedStore(configuration: .testing(path: directory.databasePath, clock: clock))
        }
        await store.close()
    }

    @Test func missingDirectoryNamesPath() async throws {
        let clock = ManualNanosecondClock()
        let error = try #require(throws: StoreError.self) {
            _ = try EmbeddedStore(configuration: .testing(path: "/nonexistent-stratus-dir/store.db", clock: clock))
        }
        #expect(error.code == .unavailable)
        #expect(error.message.contains("/nonexistent-stratus-dir/store.db"))
    }
}
