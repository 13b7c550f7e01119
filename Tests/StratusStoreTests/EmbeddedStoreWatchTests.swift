import StratusTestSupport
import Testing
@testable import StratusStore

@Suite struct EmbeddedStoreWatchTests {
    @Test func slowWatcherEndsCompacted() async throws {
        var configuration = EmbeddedStore.Configuration.testing(path: nil, clock: ManualNanosecondClock())
        configuration.watchBufferLimit = 10
        let store = try EmbeddedStore(configuration: configuration)
        let watch = store.watch(prefix: "k")
        var iterator = watch.makeAsyncIterator()
        try await store.put("k0", "v")
        #expect(try await iterator.next()?.keyValue.keyString == "k0")
        for index in 1...11 {
            try await store.put("k\(index)", "v")
        }
        let error = try await #require(throws: StoreError.self) {
            while try await iterator.next() != nil {}
        }
        #expect(error.code == .compacted)
        await store.close()
    }

    @Test func catchUpCrossesBatches() async throws {
        let store = try EmbeddedStore(configuration: .testing(path: nil, clock: ManualNanosecondClock()))
        for index in 0..<1000 {
            try await store.put("k\(index)", "v")
        }
        var seen: [Int64] = []
        for try await event in store.watch(prefix: "k", from: 1) {
            seen.append(event.revision)
            if seen.count == 1000 { break }
        }
        #expect(seen == Array(1...1000))
        await store.close()
    }

    @Test func autoCompactionKeepsRetention() async throws {
        var configuration = EmbeddedStore.Configuration.testing(path: nil, clock: ManualNanosecondClock())
        configuration.historyRetention = 100
        let directory = try TemporaryDirectory()
        configuration.path = directory.databasePath
        let store = try EmbeddedStore(configuration: configuration)
        for index in 0..<300 {
            try await store.put("k", "\(index)")
        }
        let error = try await #require(throws: StoreError.self) {
            _ = try await store.range(RangeRequest(.key("k"), revision: 100))
        }
        #expect(error.code == .compacted)
        #expect(try await store.range(RangeRequest(.key("k"), revision: 200)).keyValues.first?.valueString == "199")
        await store.close()
    }

    @Test func closeEndsWatch() async throws {
        let store = try EmbeddedStore(configuration: .testing(path: nil, clock: ManualNanosecondClock()))
        let watch = store.watch(prefix: "k")
        await store.close()
        let error = try await #require(throws: StoreError.self) {
            for try await _ in watch {}
        }
        #expect(error.code == .closed)
    }
}
