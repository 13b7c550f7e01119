import StratusStore
import Testing

/// Malformed requests, run against every `KeyValueStore`: each fails with
/// `invalidArgument` and changes nothing.
@Suite struct ConformanceValidationTests {
    @Test(arguments: StoreKind.allCases)
    func badInputsFailAndChangeNothing(kind: StoreKind) async throws {
        try await withStore(kind) { fixture in
            let store = fixture.store
            let key = fixture.key("k")
            let before = try await store.put(key, "original")
            let tooLarge = [UInt8](repeating: 0x61, count: 1_572_864 + 1)

            let cases: [(String, () async throws -> Any)] = [
                ("put of an empty key", { try await store.put(PutRequest(key: [], value: [1])) }),
                ("range of an empty key", { try await store.range(RangeRequest(.key([UInt8]()))) }),
                ("delete of an empty key", { try await store.delete(DeleteRequest(.key([UInt8]()))) }),
                ("negative limit", { try await store.range(RangeRequest(.prefix(fixture.prefix), limit: -1)) }),
                ("negative revision", { try await store.range(RangeRequest(.key(key), revision: -5)) }),
                ("interval ending before its start", {
                    try await store.range(RangeRequest(.interval(start: fixture.bytes("z"), end: fixture.bytes("a"))))
                }),
                ("delete of an empty interval", {
                    try await store.delete(DeleteRequest(.interval(start: fixture.bytes("k"), end: fixture.bytes("k"))))
                }),
                ("value over the size limit", { try await store.put(PutRequest(key: Array(key.utf8), value: tooLarge)) }),
                ("zero TTL", { try await store.grantLease(ttl: 0) }),
                ("negative TTL", { try await store.grantLease(ttl: -3) }),
                ("put with lease 0", { try await store.put(PutRequest(key: key, value: "x", lease: LeaseID(0))) }),
                ("transaction writing a key twice", {
                    try await store.transaction(TransactionRequest(success: [
                        .put(PutRequest(key: key, value: "1")),
                        .put(PutRequest(key: key, value: "2")),
                    ]))
                }),
                ("transaction comparing an empty key", {
                    try await store.transaction(TransactionRequest(compare: [Compare(key: [UInt8](), .version(0), .equal)]))
                }),
            ]
            for (description, operation) in cases {
                let error = await expectStoreError(.invalidArgument, description) {
                    try await operation()
                }
                #expect(error?.message.isEmpty == false, "\(description): the error explains itself")
            }

            let current = try #require(try await store.get(key))
            #expect(current.valueString == "original")
            #expect(current.modRevision == before)
            #expect(try await store.keys(under: fixture.prefix) == [key])
        }
    }
}
