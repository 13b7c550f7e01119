import StratusStore
import Testing

/// Leases, run against every `KeyValueStore`.
@Suite struct ConformanceLeaseTests {
    @Test(arguments: StoreKind.allCases)
    func grantKeepAliveAndStatus(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let lease = try await store.grantLease(ttl: 30)
            #expect(lease.id.rawValue > 0)
            #expect(lease.ttl == 30)

            for name in ["c", "a", "b"] {
                try await store.put(fixture.key(name), name, lease: lease.id)
            }
            #expect(try await store.get(fixture.key("a"))?.lease == lease.id)

            #expect(try await store.keepAlive(lease.id) == 30, "keep-alive returns the granted TTL")

            let status = try await store.leaseStatus(lease.id, includeKeys: true)
            #expect(status.id == lease.id)
            #expect(status.grantedTTL == 30)
            #expect((1...30).contains(status.remainingTTL))
            #expect(status.keys.map { String(decoding: $0, as: UTF8.self) } == ["a", "b", "c"].map(fixture.key))

            let withoutKeys = try await store.leaseStatus(lease.id, includeKeys: false)
            #expect(withoutKeys.keys.isEmpty)

            try await store.revokeLease(lease.id)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func grantWithIdentifier(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let id = LeaseID(Int64.random(in: 1 << 40 ..< 1 << 62))
            let lease = try await store.grantLease(ttl: 30, id: id)
            #expect(lease.id == id)

            await expectStoreError(.invalidArgument, "grant of lease \(id), which is in use") {
                try await store.grantLease(ttl: 30, id: id)
            }
            try await store.revokeLease(id)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func revokeDeletesKeysInOneRevision(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let lease = try await store.grantLease(ttl: 60)
            try await store.put(fixture.key("kept"), "3")
            try await store.put(fixture.key("a"), "1", lease: lease.id)
            let last = try await store.put(fixture.key("b"), "2", lease: lease.id)
            let watch = store.watch(prefix: fixture.prefix, from: last + 1)

            try await store.revokeLease(lease.id)

            let events = try await nextEvents(2, from: watch)
            #expect(events.map(\.kind) == [.delete, .delete])
            #expect(Set(events.map(\.keyValue.keyString)) == Set(["a", "b"].map(fixture.key)))
            #expect(events[0].revision == events[1].revision, "a revoke deletes its keys in one revision")
            #expect(try await store.keys(under: fixture.prefix) == [fixture.key("kept")])

            await expectStoreError(.leaseNotFound, "status of a revoked lease") {
                try await store.leaseStatus(lease.id, includeKeys: false)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func expiredLeaseDeletesKeys(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            // etcd raises a TTL below its minimum (2 s with default flags).
            let lease = try await store.grantLease(ttl: 1)
            #expect(lease.ttl >= 1)
            try await store.put(fixture.key("a"), "1", lease: lease.id)
            let last = try await store.put(fixture.key("b"), "2", lease: lease.id)
            let watch = store.watch(prefix: fixture.prefix, from: last + 1)

            let events = try await nextEvents(2, from: watch, within: .seconds(30))
            #expect(events.map(\.kind) == [.delete, .delete])
            #expect(Set(events.map(\.keyValue.keyString)) == Set(["a", "b"].map(fixture.key)))
            #expect(events[0].revision == events[1].revision, "an expiry deletes its keys in one revision")
            #expect(try await store.keys(under: fixture.prefix).isEmpty)

            await expectStoreError(.leaseNotFound, "keep-alive of an expired lease") {
                try await store.keepAlive(lease.id)
            }
            await expectStoreError(.leaseNotFound, "status of an expired lease") {
                try await store.leaseStatus(lease.id, includeKeys: true)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unknownLeaseIsNotFound(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let unknown = LeaseID(Int64.random(in: 1 << 40 ..< 1 << 62))
            await expectStoreError(.leaseNotFound, "keep-alive of an unknown lease") {
                try await store.keepAlive(unknown)
            }
            await expectStoreError(.leaseNotFound, "revoke of an unknown lease") {
                try await store.revokeLease(unknown)
            }
            await expectStoreError(.leaseNotFound, "status of an unknown lease") {
                try await store.leaseStatus(unknown, includeKeys: true)
            }
            await expectStoreError(.leaseNotFound, "put with an unknown lease") {
                try await store.put(fixture.key("k"), "v", lease: unknown)
            }
            let keys = try await store.keys(under: fixture.prefix)
            #expect(keys.isEmpty, "the put with an unknown lease wrote nothing")
        }
    }
}
