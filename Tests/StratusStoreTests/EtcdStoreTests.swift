import StratusStore
import StratusTestSupport
import Testing
@testable import StratusStore

/// Tests of `EtcdStore` beyond the conformance suite: endpoint
/// validation, connections and watch reconnects.
@Suite struct EtcdStoreTests {
    @Test(arguments: [
        "127.0.0.1:2379",
        "https://127.0.0.1:2379",
        "http://127.0.0.1",
        "http://127.0.0.1:",
        "http://127.0.0.1:0",
        "http://127.0.0.1:65536",
        "http://etcd.internal:2379",
        "http://127.0.0.1:2379/v3",
        "http://user@127.0.0.1:2379",
        "",
    ])
    func invalidEndpointIsRejected(endpoint: String) {
        #expect {
            try EtcdStore(endpoints: ["http://127.0.0.1:2379", endpoint])
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .invalidArgument && error.message.contains("\"\(endpoint)\"") && error.message.contains("http://host:port")
        }
    }

    @Test func validEndpointsAreAccepted() throws {
        let store = try EtcdStore(endpoints: ["http://127.0.0.1:2379", "http://localhost:2379/", "http://[::1]:2379"])
        #expect(store.gateway.endpoints.map(\.url) == ["http://127.0.0.1:2379", "http://localhost:2379", "http://[::1]:2379"])
    }

    @Test func emptyEndpointListIsRejected() {
        #expect {
            try EtcdStore(endpoints: [])
        } throws: { error in
            (error as? StoreError)?.code == .invalidArgument
        }
    }

    /// A malformed request fails before anything is sent: against a port
    /// where nothing listens, bad input still reports `invalidArgument`,
    /// while a good request reports `unavailable`.
    @Test func invalidRequestIsNotSent() async throws {
        let port = try LoopbackPorts.reserve(1)[0]
        let store = try EtcdStore(endpoints: ["http://127.0.0.1:\(port)"])
        defer { Task { await store.close() } }

        await expectStoreError(.invalidArgument, "put of an empty key") {
            try await store.put(PutRequest(key: [], value: []))
        }
        await expectStoreError(.invalidArgument, "grant with a zero TTL") {
            try await store.grantLease(ttl: 0)
        }
        let error = await expectStoreError(.unavailable, "put to a port without a server") {
            try await store.put("k", "v")
        }
        #expect(error?.message.contains("127.0.0.1:\(port)") == true, "\(String(describing: error))")
    }

    @Test func closedStoreRejectsCallsAndEndsWatches() async throws {
        let store = try EtcdStore(endpoints: [try await SharedEtcd.clientURL])
        let prefix = "test/\(UInt64.random(in: 0 ... .max))/"
        let start = try await store.put(prefix + "a", "1")
        let watch = store.watch(prefix: prefix, from: start)
        #expect(try await nextEvents(1, from: watch).count == 1)

        await store.close()

        let ending = try await watchEnding(of: watch)
        #expect((ending as? StoreError)?.code == .closed, "\(String(describing: ending))")
        await expectStoreError(.closed, "put after close") {
            try await store.put(prefix + "b", "2")
        }
    }

    @Test func cancelledWatchClosesItsConnection() async throws {
        let store = try EtcdStore(endpoints: [try await SharedEtcd.clientURL])
        defer { Task { await store.close() } }
        let endpoint = store.gateway.endpoints[0]
        let prefix = "test/\(UInt64.random(in: 0 ... .max))/"
        let start = try await store.put(prefix + "a", "1")

        let watch = store.watch(prefix: prefix, from: start)
        let consumer = Task {
            for try await _ in watch {}
        }
        let opened = await eventually { store.watches.openConnectionCount(to: endpoint) == 1 }
        #expect(opened, "the watch did not open a connection")

        consumer.cancel()
        _ = await consumer.result
        let closed = await eventually { store.watches.openConnectionCount(to: endpoint) == 0 }
        #expect(closed, "the cancelled watch left \(store.watches.openConnectionCount(to: endpoint)) connections open")
    }

    @Test func releasedWatchClosesItsConnection() async throws {
        let store = try EtcdStore(endpoints: [try await SharedEtcd.clientURL])
        defer { Task { await store.close() } }
        let endpoint = store.gateway.endpoints[0]
        let prefix = "test/\(UInt64.random(in: 0 ... .max))/"
        let start = try await store.put(prefix + "a", "1")

        do {
            let watch = store.watch(prefix: prefix, from: start)
            #expect(try await nextEvents(1, from: watch).count == 1)
            #expect(store.watches.openConnectionCount(to: endpoint) == 1)
        }
        let closed = await eventually { store.watches.openConnectionCount(to: endpoint) == 0 }
        #expect(closed, "the released watch left \(store.watches.openConnectionCount(to: endpoint)) connections open")
    }

    /// Every watch uses a connection of its own, so more watches than the
    /// HTTP client's default of 64 connections per endpoint must all open
    /// and deliver, well before the pool's 10 s wait for a free connection.
    @Test func hundredConcurrentWatchesAllDeliver() async throws {
        let store = try EtcdStore(endpoints: [try await SharedEtcd.clientURL])
        defer { Task { await store.close() } }
        let endpoint = store.gateway.endpoints[0]
        let prefix = "test/\(UInt64.random(in: 0 ... .max))/"
        let start = try await store.put(prefix + "a", "1")
        let watchCount = 100

        let watches = (0..<watchCount).map { _ in store.watch(prefix: prefix, from: start + 1) }
        let consumers = watches.map { watch in
            Task { try await nextEvents(1, from: watch, within: .seconds(5)).map(\.revision) }
        }
        let opened = await eventually(within: .seconds(5)) { store.watches.openConnectionCount(to: endpoint) == watchCount }
        #expect(opened, "\(store.watches.openConnectionCount(to: endpoint)) of \(watchCount) watch connections opened")
        let written = try await store.put(prefix + "b", "2")

        var delivered = 0
        for consumer in consumers {
            if try await consumer.value == [written] {
                delivered += 1
            }
        }
        #expect(delivered == watchCount)
    }

    /// A watch connection silent past `watchSilenceTimeout` is reopened,
    /// and the watch goes on without losing a write made meanwhile.
    @Test func silentWatchReconnectsWithoutLoss() async throws {
        var configuration = EtcdStore.Configuration()
        configuration.watchSilenceTimeout = .milliseconds(300)
        let store = try EtcdStore(endpoints: [try await SharedEtcd.clientURL], configuration: configuration)
        defer { Task { await store.close() } }
        let prefix = "test/\(UInt64.random(in: 0 ... .max))/"
        let first = try await store.put(prefix + "a", "1")
        let watch = store.watch(prefix: prefix, from: first)
        #expect(try await nextEvents(1, from: watch).map(\.revision) == [first])

        try await Task.sleep(for: .seconds(1))
        let second = try await store.put(prefix + "b", "2")
        let third = try await store.put(prefix + "c", "3")

        let events = try await nextEvents(2, from: watch)
        #expect(events.map(\.revision) == [second, third])
    }
}
