import Foundation
import StratusStore
import StratusTestSupport
import Testing

/// The implementations of `KeyValueStore` that the conformance suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case embedded
    case etcd
    /// An in-memory `EmbeddedStore` served by the control plane's etcd
    /// gateway API, driven through `EtcdStore`.
    case gateway

    var testDescription: String { rawValue }
}

/// One etcd for the whole test run, started on first use. Tests share it and
/// keep apart by key prefix. A test that compacts needs its own etcd,
/// because compaction discards every key's history.
enum SharedEtcd {
    private static let peer = Task { try await EtcdPeer.start(name: "shared") }

    static var clientURL: String {
        get async throws { try await peer.value.clientURL }
    }
}

/// A store for one test, and the key prefix under which the test keeps its
/// keys, unique per test so that tests sharing an etcd do not meet.
struct StoreFixture: Sendable {
    let store: any KeyValueStore
    let prefix: String
    private let cleanup: @Sendable () async -> Void

    /// Returns the full key for `name`: the test's prefix followed by `name`.
    func key(_ name: String) -> String { prefix + name }

    func bytes(_ name: String) -> [UInt8] { Array(key(name).utf8) }

    /// Makes a store. With `isolated`, an etcd store gets its own etcd
    /// process rather than the shared one. A gateway store always has a
    /// server and an in-memory store of its own.
    static func make(_ kind: StoreKind, isolated: Bool = false) async throws -> StoreFixture {
        let prefix = "test/\(UUID().uuidString)/"
        switch kind {
        case .embedded:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = try EmbeddedStore(configuration: .init(path: directory.appendingPathComponent("store.db").path))
            return StoreFixture(store: store, prefix: prefix) {
                await store.close()
                try? FileManager.default.removeItem(at: directory)
            }
        case .etcd where isolated:
            let peer = try await EtcdPeer.start(name: "isolated")
            let store = try EtcdStore(endpoints: [peer.clientURL])
            return StoreFixture(store: store, prefix: prefix) {
                await store.close()
                await peer.stop()
            }
        case .etcd:
            let store = try EtcdStore(endpoints: [try await SharedEtcd.clientURL])
            return StoreFixture(store: store, prefix: prefix) {
                await store.close()
            }
        case .gateway:
            let peer = try await GatewayPeer.start()
            let store = try EtcdStore(endpoints: [peer.url])
            return StoreFixture(store: store, prefix: prefix) {
                await store.close()
                await peer.stop()
            }
        }
    }

    func close() async {
        await cleanup()
    }
}

/// Runs `body` with a fresh store and closes it afterwards, also when `body` throws.
func withStore(_ kind: StoreKind, isolated: Bool = false, _ body: (StoreFixture) async throws -> Void) async throws {
    let fixture = try await StoreFixture.make(kind, isolated: isolated)
    do {
        try await body(fixture)
    } catch {
        await fixture.close()
        throw error
    }
    await fixture.close()
}

/// Expects `body` to throw a `StoreError` with `code` and returns the error.
@discardableResult
func expectStoreError<T>(
    _ code: StoreError.Code,
    _ description: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> StoreError? {
    do {
        let result = try await body()
        Issue.record("\(description): expected StoreError \(code), got \(result)", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.code == code, "\(description): \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("\(description): expected StoreError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

struct WatchTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Reads `count` events from `stream`, failing when they have not all
/// arrived within `limit`: a bounded wait, not a timing assertion.
func nextEvents(_ count: Int, from stream: WatchStream, within limit: Duration = .seconds(20)) async throws -> [WatchEvent] {
    try await withThrowingTaskGroup(of: [WatchEvent]?.self) { group in
        group.addTask {
            var events: [WatchEvent] = []
            for try await event in stream {
                events.append(event)
                if events.count == count { break }
            }
            return events
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let events = try await group.next() ?? nil else {
            throw WatchTimeout(description: "fewer than \(count) watch events arrived within \(limit)")
        }
        guard events.count == count else {
            throw WatchTimeout(description: "the watch ended after \(events.count) of \(count) events")
        }
        return events
    }
}

/// Reads `stream` until it ends and returns the error it ended with, or nil
/// when it ended without one, failing when it has not ended within `limit`.
func watchEnding(of stream: WatchStream, within limit: Duration = .seconds(20)) async throws -> (any Error)? {
    try await withThrowingTaskGroup(of: Result<Void, any Error>?.self) { group in
        group.addTask {
            do {
                for try await _ in stream {}
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let ending = try await group.next() ?? nil else {
            throw WatchTimeout(description: "the watch did not end within \(limit)")
        }
        if case .failure(let error) = ending { return error }
        return nil
    }
}

/// Polls `condition` every 20 ms until it is true or `limit` passes, and
/// returns its last value.
func eventually(within limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

extension KeyValueStore {
    /// Returns all keys under `prefix` as strings, for checks that nothing changed.
    func keys(under prefix: String) async throws -> [String] {
        try await list(prefix: prefix).keyValues.map(\.keyString)
    }
}
