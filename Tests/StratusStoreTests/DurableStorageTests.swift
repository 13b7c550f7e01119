import Testing
@testable import StratusStore

@Suite struct DurableStorageTests {
    private func keyValue(_ key: String, _ value: String, revision: Int64, version: Int64 = 1) -> KeyValue {
        KeyValue(key: Array(key.utf8), value: Array(value.utf8), createRevision: revision, modRevision: revision, version: version)
    }

    @Test func loadReturnsNewestRowPerKey() throws {
        let directory = try TemporaryDirectory()
        var storage: DurableStorage? = try DurableStorage(path: directory.databasePath)
        _ = try storage!.load()
        try storage!.write([.upsert(keyValue("a", "1", revision: 1)), .upsert(keyValue("b", "2", revision: 1))], revision: 1)
        try storage!.write([.upsert(keyValue("a", "3", revision: 2, version: 2)), .remove(Array("b".utf8))], revision: 2)
        storage!.close()
        storage = nil

        let reopened = try DurableStorage(path: directory.databasePath)
        let snapshot = try reopened.load()
        #expect(snapshot.revision == 2)
        #expect(snapshot.keyValues.map(\.keyString) == ["a"])
        #expect(snapshot.keyValues.first?.valueString == "3")
        #expect(snapshot.keyValues.first?.version == 2)
        #expect(try reopened.rowCount() == 1)
        reopened.close()
    }

    @Test func pruneKeepsLiveRowsOnly() throws {
        let directory = try TemporaryDirectory()
        let storage = try DurableStorage(path: directory.databasePath, minimumPruneInterval: 10)
        _ = try storage.load()
        for revision in 1...10 {
            try storage.write([.upsert(keyValue("k", "\(revision)", revision: Int64(revision)))], revision: Int64(revision))
        }
        #expect(try storage.rowCount() == 10)
        try storage.write([.upsert(keyValue("other", "x", revision: 11)), .remove(Array("k".utf8))], revision: 11)
        #expect(try storage.rowCount() == 1)
        storage.close()
    }
}
