import StratusStore
import Testing

/// Compaction, run against every `KeyValueStore`. Each test has a store of
/// its own, because compaction discards the history of every key.
@Suite struct ConformanceCompactionTests {
    @Test(arguments: StoreKind.allCases)
    func compactionDiscardsOlderRevisions(kind: StoreKind) async throws {
        try await withStore(kind, isolated: true) { fixture in
            let store = fixture.store
            let key = fixture.key("k")
            let first = try await store.put(key, "1")
            let second = try await store.put(key, "2")
            try await store.put(fixture.key("other"), "o")

            try await store.compact(revision: second)

            let error = await expectStoreError(.compacted, "read below the compacted revision") {
                try await store.get(key, revision: first)
            }
            #expect(error?.compactRevision == second)
            #expect(try await store.get(key, revision: second)?.valueString == "2", "the compacted revision itself stays readable")
            #expect(try await store.get(key)?.valueString == "2")
            #expect(try await store.keys(under: fixture.prefix) == ["k", "other"].map(fixture.key))

            let again = await expectStoreError(.compacted, "compaction at the compacted revision") {
                try await store.compact(revision: second)
            }
            #expect(again?.compactRevision == second)

            let current = try await store.list(prefix: fixture.prefix).revision
            await expectStoreError(.futureRevision, "compaction above the current revision") {
                try await store.compact(revision: current + 100)
            }
        }
    }

    /// A watch from the compacted revision itself still works, as a read at
    /// that revision does; one from below it ends with `compacted`.
    @Test(arguments: StoreKind.allCases)
    func watchFromCompactedRevisionFails(kind: StoreKind) async throws {
        try await withStore(kind, isolated: true) { fixture in
            let store = fixture.store
            let first = try await store.put(fixture.key("k"), "1")
            let second = try await store.put(fixture.key("k"), "2")
            try await store.compact(revision: second)

            let error = try await watchEnding(of: store.watch(prefix: fixture.prefix, from: first))
            let storeError = try #require(error as? StoreError, "expected a StoreError, got \(String(describing: error))")
            #expect(storeError.code == .compacted)
            #expect(storeError.compactRevision == second)

            let events = try await nextEvents(1, from: store.watch(prefix: fixture.prefix, from: second))
            #expect(events.map(\.revision) == [second])
        }
    }
}
