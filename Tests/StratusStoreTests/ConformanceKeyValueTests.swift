import StratusStore
import Testing

/// Reads, writes and deletes, run against every `KeyValueStore`. Revisions
/// are compared with each other, never with fixed numbers, because tests on
/// the shared etcd write concurrently.
@Suite struct ConformanceKeyValueTests {
    @Test(arguments: StoreKind.allCases)
    func putGetDelete(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let key = fixture.key("config")

            let first = try await store.put(key, "v1")
            let created = try #require(try await store.get(key))
            #expect(created.valueString == "v1")
            #expect(created.createRevision == first)
            #expect(created.modRevision == first)
            #expect(created.version == 1)
            #expect(created.lease == nil)

            let second = try await store.put(key, "v2")
            #expect(second > first)
            let updated = try #require(try await store.get(key))
            #expect(updated.valueString == "v2")
            #expect(updated.createRevision == first)
            #expect(updated.modRevision == second)
            #expect(updated.version == 2)

            #expect(try await store.delete(key) == 1)
            #expect(try await store.get(key) == nil)

            let third = try await store.put(key, "v3")
            #expect(third > second)
            let recreated = try #require(try await store.get(key))
            #expect(recreated.version == 1, "a delete resets the version")
            #expect(recreated.createRevision == third, "a put after a delete creates the key anew")
            #expect(recreated.modRevision == third)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func prefixRangeInByteOrder(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            for name in ["a/3", "a/1", "b/1", "a/2", "a"] {
                try await store.put(fixture.key(name), name)
            }

            let response = try await store.list(prefix: fixture.key("a/"))
            #expect(response.keyValues.map(\.keyString) == ["a/1", "a/2", "a/3"].map(fixture.key))
            #expect(response.count == 3)
            #expect(!response.more)

            let all = try await store.keys(under: fixture.prefix)
            #expect(all == ["a", "a/1", "a/2", "a/3", "b/1"].map(fixture.key))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func intervalAndFromRanges(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            for index in 1...5 {
                try await store.put(fixture.key("k\(index)"), "\(index)")
            }

            let interval = try await store.range(RangeRequest(.interval(start: fixture.bytes("k2"), end: fixture.bytes("k4"))))
            #expect(interval.keyValues.map(\.keyString) == ["k2", "k3"].map(fixture.key))
            #expect(interval.count == 2)

            // `.from` has no upper bound, so on a shared store it also returns
            // other tests' later keys; only this test's keys are checked.
            let from = try await store.range(RangeRequest(.from(fixture.bytes("k4"))))
            let own = from.keyValues.map(\.keyString).filter { $0.hasPrefix(fixture.prefix) }
            #expect(own == ["k4", "k5"].map(fixture.key))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func limitReportsMoreAndCount(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            for index in 1...5 {
                try await store.put(fixture.key("k\(index)"), "\(index)")
            }

            let limited = try await store.list(prefix: fixture.prefix, limit: 2)
            #expect(limited.keyValues.map(\.keyString) == ["k1", "k2"].map(fixture.key))
            #expect(limited.more)
            #expect(limited.count == 5, "count ignores the limit")

            let exact = try await store.list(prefix: fixture.prefix, limit: 5)
            #expect(exact.keyValues.count == 5)
            #expect(!exact.more)

            let unlimited = try await store.list(prefix: fixture.prefix, limit: 0)
            #expect(unlimited.keyValues.count == 5)
            #expect(!unlimited.more)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keysOnlyAndCountOnly(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            var revisions: [Int64] = []
            for index in 1...3 {
                revisions.append(try await store.put(fixture.key("k\(index)"), "value\(index)"))
            }

            let keysOnly = try await store.range(RangeRequest(.prefix(fixture.prefix), keysOnly: true))
            #expect(keysOnly.keyValues.map(\.keyString) == ["k1", "k2", "k3"].map(fixture.key))
            #expect(keysOnly.keyValues.allSatisfy { $0.value.isEmpty })
            #expect(keysOnly.keyValues.map(\.modRevision) == revisions, "keys-only still carries revisions")
            #expect(keysOnly.count == 3)

            let countOnly = try await store.range(RangeRequest(.prefix(fixture.prefix), limit: 1, countOnly: true))
            #expect(countOnly.keyValues.isEmpty)
            #expect(countOnly.count == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func readsAtOldRevision(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let key = fixture.key("k")
            let first = try await store.put(key, "v1")
            try await store.put(key, "v2")
            try await store.put(fixture.key("later"), "x")

            let old = try #require(try await store.get(key, revision: first))
            #expect(old.valueString == "v1")
            #expect(old.modRevision == first)
            #expect(old.version == 1)

            let oldList = try await store.list(prefix: fixture.prefix, revision: first)
            #expect(oldList.keyValues.map(\.keyString) == [key], "a key created later is absent at an older revision")

            #expect(try await store.get(key)?.valueString == "v2")

            let current = try await store.list(prefix: fixture.prefix).revision
            let future = current + 1_000_000
            await expectStoreError(.futureRevision, "read at revision \(future)") {
                try await store.get(key, revision: future)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func putAndDeleteReturnPreviousValues(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let key = fixture.key("k")

            let created = try await store.put(PutRequest(key: key, value: "v1", previousKeyValue: true))
            #expect(created.previous == nil, "a new key has no previous value")

            let replaced = try await store.put(PutRequest(key: key, value: "v2", previousKeyValue: true))
            let previous = try #require(replaced.previous)
            #expect(previous.valueString == "v1")
            #expect(previous.modRevision == created.revision)
            #expect(previous.version == 1)

            let plain = try await store.put(PutRequest(key: key, value: "v3"))
            #expect(plain.previous == nil, "the previous value comes only when requested")

            try await store.put(fixture.key("other"), "o")
            let deleted = try await store.delete(DeleteRequest(.prefix(fixture.prefix), previousKeyValues: true))
            #expect(deleted.deleted == 2)
            #expect(deleted.previous.map(\.keyString) == [key, fixture.key("other")])
            #expect(deleted.previous.map(\.valueString) == ["v3", "o"])
            #expect(try await store.keys(under: fixture.prefix).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deleteOfMissingKeyChangesNothing(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let before = try await store.put(fixture.key("before"), "b")
            let watch = store.watch(prefix: fixture.prefix, from: before + 1)

            let response = try await store.delete(DeleteRequest(.key(fixture.key("missing")), previousKeyValues: true))
            #expect(response.deleted == 0)
            #expect(response.previous.isEmpty)
            #expect(response.revision >= before, "the revision of a delete of no key is the current one")

            let marker = try await store.put(fixture.key("marker"), "m")
            #expect(response.revision < marker)
            let events = try await nextEvents(1, from: watch)
            #expect(events.map(\.keyValue.keyString) == [fixture.key("marker")], "a delete of no key is no event")
        }
    }
}
