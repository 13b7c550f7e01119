import StratusStore
import Testing

/// Watches, run against every `KeyValueStore`.
@Suite struct ConformanceWatchTests {
    @Test(arguments: StoreKind.allCases)
    func watchFromNowSeesOnlyLaterWrites(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            try await store.put(fixture.key("before"), "0")
            let watch = store.watch(prefix: fixture.prefix)

            let first = try await store.put(fixture.key("a"), "1")
            let second = try await store.put(fixture.key("b"), "2")

            let events = try await nextEvents(2, from: watch)
            #expect(events.map(\.keyValue.keyString) == ["a", "b"].map(fixture.key))
            #expect(events.map(\.kind) == [.put, .put])
            #expect(events.map(\.revision) == [first, second])
            #expect(events[0].keyValue.valueString == "1")
            #expect(events[0].keyValue.version == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func watchFromPastRevision(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let key = fixture.key("k")
            let first = try await store.put(key, "1")
            let second = try await store.put(key, "2")
            let deleted = try await store.delete(DeleteRequest(.key(key))).revision

            let events = try await nextEvents(3, from: store.watch(prefix: fixture.prefix, from: first))
            #expect(events.map(\.kind) == [.put, .put, .delete])
            #expect(events.map(\.revision) == [first, second, deleted])
            #expect(events.map(\.keyValue.valueString) == ["1", "2", ""])
            #expect(events[2].keyValue.key == Array(key.utf8), "a delete event carries the key")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func watchFiltersByPrefix(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let start = try await store.put(fixture.key("setup"), "0") + 1
            let watch = store.watch(prefix: fixture.key("x/"), from: start)

            try await store.put(fixture.key("y/1"), "no")
            try await store.put(fixture.key("x"), "no")
            try await store.put(fixture.key("x/1"), "yes")
            try await store.put(fixture.key("y/2"), "no")
            try await store.put(fixture.key("x/2"), "yes")

            let events = try await nextEvents(2, from: watch)
            #expect(events.map(\.keyValue.keyString) == ["x/1", "x/2"].map(fixture.key))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func watchSingleKeyAndInterval(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let start = try await store.put(fixture.key("setup"), "0") + 1
            let single = store.watch(WatchRequest(.key(fixture.key("b")), startRevision: start))
            let interval = store.watch(WatchRequest(.interval(start: fixture.bytes("b"), end: fixture.bytes("d")), startRevision: start))

            for name in ["a", "b", "bb", "c", "d"] {
                try await store.put(fixture.key(name), name)
            }
            try await store.put(fixture.key("b"), "again")

            let singleEvents = try await nextEvents(2, from: single)
            #expect(singleEvents.map(\.keyValue.valueString) == ["b", "again"])
            let intervalEvents = try await nextEvents(4, from: interval)
            #expect(intervalEvents.map(\.keyValue.keyString) == ["b", "bb", "c", "b"].map(fixture.key))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func watchWithPreviousValues(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let key = fixture.key("k")
            let created = try await store.put(key, "1")
            let watch = store.watch(prefix: fixture.prefix, from: created + 1, previousKeyValues: true)

            try await store.put(key, "2")
            let deleted = try await store.delete(DeleteRequest(.key(key))).revision
            try await store.put(key, "3")

            let events = try await nextEvents(3, from: watch)
            #expect(events.map(\.kind) == [.put, .delete, .put])
            #expect(events[0].previous?.valueString == "1")
            #expect(events[0].previous?.modRevision == created)
            #expect(events[1].previous?.valueString == "2")
            #expect(events[1].keyValue.modRevision == deleted, "a delete event carries the delete's revision")
            #expect(events[1].keyValue.value.isEmpty)
            #expect(events[2].previous == nil, "a key put after a delete had no previous value")
            #expect(events[2].keyValue.version == 1)

            let plain = try await nextEvents(1, from: store.watch(prefix: fixture.prefix, from: created + 1))
            #expect(plain[0].previous == nil, "previous values come only when requested")
        }
    }

    /// etcd sends the events of one revision in the order of the operations
    /// of the transaction, not in key order; the suite follows etcd.
    @Test(arguments: StoreKind.allCases)
    func transactionEventsInOperationOrder(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let start = try await store.put(fixture.key("b"), "old") + 1
            let watch = store.watch(prefix: fixture.prefix, from: start)

            let response = try await store.transaction(TransactionRequest(success: [
                .put(PutRequest(key: fixture.key("c"), value: "3")),
                .put(PutRequest(key: fixture.key("a"), value: "1")),
                .delete(DeleteRequest(.key(fixture.key("b")))),
            ]))
            let after = try await store.put(fixture.key("z"), "next")

            let events = try await nextEvents(4, from: watch)
            #expect(events.map(\.keyValue.keyString) == ["c", "a", "b", "z"].map(fixture.key))
            #expect(events.map(\.kind) == [.put, .put, .delete, .put])
            #expect(events.map(\.revision) == [response.revision, response.revision, response.revision, after])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cancellingConsumerEndsWatch(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let start = try await store.put(fixture.key("setup"), "0") + 1
            let watch = store.watch(prefix: fixture.prefix, from: start)
            let consumer = Task {
                var count = 0
                for try await _ in watch {
                    count += 1
                }
                return count
            }
            try await store.put(fixture.key("a"), "1")

            consumer.cancel()
            let ending = try await withThrowingTaskGroup(of: Int?.self) { group in
                group.addTask { try await consumer.value }
                group.addTask {
                    try await Task.sleep(for: .seconds(20))
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            let count = try #require(ending, "the watch did not end within 20 s of the cancel")
            #expect(count <= 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func invalidWatchFailsWithInvalidArgument(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let requests = [
                WatchRequest(.key([UInt8]())),
                WatchRequest(.prefix(fixture.prefix), startRevision: -1),
                WatchRequest(.interval(start: fixture.bytes("b"), end: fixture.bytes("a"))),
            ]
            for request in requests {
                let error = try await watchEnding(of: store.watch(request))
                #expect((error as? StoreError)?.code == .invalidArgument, "\(request): \(String(describing: error))")
            }
        }
    }
}
