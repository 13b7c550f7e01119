import StratusTestSupport
import Testing
@testable import StratusStore

@Suite struct EmbeddedStoreLeaseTests {
    @Test func expiryDeletesKeysInOneRevision() async throws {
        let clock = ManualNanosecondClock()
        let store = try EmbeddedStore(configuration: .testing(path: nil, clock: clock))
        let lease = try await store.grantLease(ttl: 5)
        try await store.put("svc/a", "1", lease: lease.id)
        try await store.put("svc/b", "2", lease: lease.id)
        let watch = store.watch(prefix: "svc/")

        clock.advance(by: .seconds(4))
        #expect(try await store.expireLeases() == 0)
        clock.advance(by: .seconds(1))
        #expect(try await store.expireLeases() == 1)

        var iterator = watch.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        let second = try #require(try await iterator.next())
        #expect(first.kind == .delete)
        #expect(first.keyValue.keyString == "svc/a")
        #expect(second.keyValue.keyString == "svc/b")
        #expect(first.revision == 3)
        #expect(second.revision == 3)
        await #expect(throws: StoreError.self) { _ = try await store.keepAlive(lease.id) }
        await store.close()
    }

    @Test func keepAliveMovesDeadline() async throws {
        let clock = ManualNanosecondClock()
        let store = try EmbeddedStore(configuration: .testing(path: nil, clock: clock))
        let lease = try await store.grantLease(ttl: 5)
        try await store.put("k", "v", lease: lease.id)
        clock.advance(by: .seconds(4))
        #expect(try await store.keepAlive(lease.id) == 5)
        clock.advance(by: .seconds(4))
        #expect(try await store.expireLeases() == 0)
        let status = try await store.leaseStatus(lease.id, includeKeys: true)
        #expect(status.remainingTTL == 1)
        #expect(status.keys == [Array("k".utf8)])
        clock.advance(by: .seconds(1))
        #expect(try await store.expireLeases() == 1)
        #expect(try await store.get("k") == nil)
        await store.close()
    }

    @Test func overwriteMovesKeyBetweenLeases() async throws {
        let clock = ManualNanosecondClock()
        let store = try EmbeddedStore(configuration: .testing(path: nil, clock: clock))
        let first = try await store.grantLease(ttl: 5)
        let second = try await store.grantLease(ttl: 50)
        try await store.put("k", "v", lease: first.id)
        try await store.put("k", "w", lease: second.id)
        try await store.revokeLease(first.id)
        #expect(try await store.get("k")?.valueString == "w")
        await #expect(throws: StoreError.self) { _ = try await store.leaseStatus(first.id, includeKeys: false) }
        await store.close()
    }
}
