import StratusStore
import Testing

/// Compare-and-swap transactions, run against every `KeyValueStore`.
@Suite struct ConformanceTransactionTests {
    @Test(arguments: StoreKind.allCases)
    func compareValueChoosesBranch(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let key = fixture.key("mode")
            try await store.put(key, "active")

            let swap = TransactionRequest(
                compare: [Compare(key: key, .value(Array("active".utf8)), .equal)],
                success: [.put(PutRequest(key: key, value: "draining"))],
                failure: [.range(RangeRequest(.key(key)))]
            )
            let first = try await store.transaction(swap)
            #expect(first.succeeded)
            guard case .put(let put)? = first.responses.first else {
                Issue.record("expected a put response, got \(first.responses)")
                return
            }
            #expect(put.revision == first.revision)
            #expect(try await store.get(key)?.valueString == "draining")

            let second = try await store.transaction(swap)
            #expect(!second.succeeded)
            guard case .range(let range)? = second.responses.first else {
                Issue.record("expected a range response, got \(second.responses)")
                return
            }
            #expect(range.keyValues.map(\.valueString) == ["draining"], "the failure branch ran")
            #expect(range.keyValues.first?.modRevision == first.revision, "the failure branch wrote nothing")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func compareVersionAndRevisions(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let key = fixture.key("lock")
            let createIfAbsent = TransactionRequest(
                compare: [Compare(key: key, .version(0), .equal)],
                success: [.put(PutRequest(key: key, value: "owner-1"))]
            )
            let created = try await store.transaction(createIfAbsent)
            #expect(created.succeeded, "a missing key has version 0")
            #expect(try await store.transaction(createIfAbsent).succeeded == false)

            let checks: [(Compare.Target, Compare.Result, Bool)] = [
                (.createRevision(created.revision), .equal, true),
                (.createRevision(0), .greater, true),
                (.modRevision(created.revision), .equal, true),
                (.modRevision(created.revision + 1), .less, true),
                (.modRevision(created.revision), .notEqual, false),
                (.version(1), .equal, true),
                (.version(1), .greater, false),
            ]
            for (target, result, expected) in checks {
                let response = try await store.transaction(TransactionRequest(compare: [Compare(key: key, target, result)]))
                #expect(response.succeeded == expected, "\(target) \(result)")
            }

            let missing = fixture.key("missing")
            let absent = try await store.transaction(TransactionRequest(compare: [
                Compare(key: missing, .version(0), .equal),
                Compare(key: missing, .createRevision(0), .equal),
                Compare(key: missing, .modRevision(0), .equal),
                Compare(key: missing, .lease(nil), .equal),
            ]))
            #expect(absent.succeeded, "a missing key has version 0, revisions 0 and no lease")
        }
    }

    /// etcd fails every value comparison on a missing key, whatever the
    /// result asked for, because gRPC cannot tell a missing value from an
    /// empty one. The suite follows etcd.
    @Test(arguments: StoreKind.allCases)
    func compareValueOfMissingKeyFails(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let missing = fixture.key("missing")
            let cases: [([UInt8], Compare.Result)] = [
                ([], .equal),
                (Array("x".utf8), .notEqual),
                (Array("x".utf8), .less),
                ([], .greater),
            ]
            for (value, result) in cases {
                let response = try await store.transaction(TransactionRequest(compare: [Compare(key: missing, .value(value), result)]))
                #expect(!response.succeeded, "value \(value) \(result) on a missing key")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func compareLease(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let lease = try await store.grantLease(ttl: 60)
            let leased = fixture.key("leased")
            let plain = fixture.key("plain")
            try await store.put(leased, "x", lease: lease.id)
            try await store.put(plain, "y")

            let cases: [(String, LeaseID?, Compare.Result, Bool)] = [
                (leased, lease.id, .equal, true),
                (leased, nil, .notEqual, true),
                (plain, nil, .equal, true),
                (plain, lease.id, .equal, false),
            ]
            for (key, expected, result, holds) in cases {
                let response = try await store.transaction(TransactionRequest(compare: [Compare(key: key, .lease(expected), result)]))
                #expect(response.succeeded == holds, "\(key) lease \(String(describing: expected)) \(result)")
            }
            try await store.revokeLease(lease.id)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func branchRunsOperationsInOrder(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let before = try await store.put(fixture.key("a"), "1")
            let response = try await store.transaction(TransactionRequest(
                compare: [Compare(key: fixture.key("a"), .modRevision(before), .equal)],
                success: [
                    .put(PutRequest(key: fixture.key("b"), value: "2")),
                    .range(RangeRequest(.prefix(fixture.prefix))),
                    .delete(DeleteRequest(.key(fixture.key("a")), previousKeyValues: true)),
                ]
            ))
            #expect(response.succeeded)
            #expect(response.responses.count == 3)
            #expect(response.revision > before)

            guard response.responses.count == 3,
                  case .put(let put) = response.responses[0],
                  case .range(let range) = response.responses[1],
                  case .delete(let delete) = response.responses[2]
            else {
                Issue.record("expected put, range and delete responses, got \(response.responses)")
                return
            }
            #expect(put.revision == response.revision, "the writes of a branch share one revision")
            #expect(delete.revision == response.revision)
            #expect(range.keyValues.map(\.keyString) == ["a", "b"].map(fixture.key), "a range sees the earlier put of its branch")
            #expect(delete.deleted == 1)
            #expect(delete.previous.map(\.valueString) == ["1"])

            let written = try #require(try await store.get(fixture.key("b")))
            #expect(written.modRevision == response.revision)
            #expect(try await store.get(fixture.key("a")) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func duplicateKeyTransactionRejected(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let key = fixture.key("k")
            let twoPuts = TransactionRequest(success: [
                .put(PutRequest(key: key, value: "1")),
                .put(PutRequest(key: key, value: "2")),
            ])
            await expectStoreError(.invalidArgument, "two puts of one key") {
                try await store.transaction(twoPuts)
            }

            let putAndDelete = TransactionRequest(failure: [
                .delete(DeleteRequest(.prefix(fixture.prefix))),
                .put(PutRequest(key: key, value: "1")),
            ])
            await expectStoreError(.invalidArgument, "a put inside a deleted range") {
                try await store.transaction(putAndDelete)
            }
            let keys = try await store.keys(under: fixture.prefix)
            #expect(keys.isEmpty, "a rejected transaction writes nothing")
        }
    }
}
