import Foundation
import StratusConfig
import StratusLog
import StratusStore
import Synchronization

/// One store watch over every namespace head, fanned out to the watch
/// streams of instances, so that a thousand instances cost the store one
/// watch rather than a thousand.
///
/// The hub reads the store's revision and watches from the next one, and
/// only then takes subscribers, so a stream that reads its first heads
/// after subscribing misses no change: it drops the hub's changes up to the
/// revision of its read and receives every one after. When the store watch fails, the hub watches again
/// from the revision after the last change it passed on, after one
/// second. When that revision was compacted, it reads every head and
/// passes each on as a change, which streams treat like any other: a
/// stream sends a release only when the one its instance sees changed.
///
/// A subscriber whose buffer of `bufferLimit` changes fills up is ended,
/// and its stream ends with an error line; the instance reconnects and
/// reads its releases again.
final class ReleaseHub: Sendable {
    /// Changes that may wait for one slow stream before the hub ends it.
    static let bufferLimit = 10_000
    static let retryDelay: Duration = .seconds(1)

    private struct Subscriber {
        var application: String
        var environment: String
        var continuation: AsyncStream<HeadChange>.Continuation
    }

    private struct State {
        var subscribers: [UInt64: Subscriber] = [:]
        var nextID: UInt64 = 0
        var follower: Task<Void, Never>?
        /// Whether the hub has read its start revision and takes subscribers.
        var following = false
        var stopped = false
    }

    private let store: any KeyValueStore
    private let logger: Logger
    private let state = Mutex(State())

    init(store: any KeyValueStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Starts following head changes in the background. Until the hub has
    /// read the store's revision, which it retries every `retryDelay`,
    /// `subscribe` returns nil.
    func start() {
        let task = Task { [self] in
            guard let revision = await readStartRevision() else { return }
            state.withLock { $0.following = true }
            await follow(from: revision + 1)
        }
        state.withLock { $0.follower = task }
    }

    private func readStartRevision() async -> Int64? {
        while !Task.isCancelled {
            do {
                return try await store.range(RangeRequest(.prefix(ConfigKeys.headsRoot), countOnly: true)).revision
            } catch {
                logger.warning("reading the store revision for the config watch failed; trying again", metadata: ["error": .string("\(error)")])
                try? await Task.sleep(for: Self.retryDelay)
            }
        }
        return nil
    }

    /// Stops following and ends every subscriber's changes.
    func stop() {
        let (follower, subscribers) = state.withLock { state in
            state.stopped = true
            defer { state.subscribers = [:] }
            return (state.follower, Array(state.subscribers.values))
        }
        follower?.cancel()
        subscribers.forEach { $0.continuation.finish() }
    }

    /// Returns the changes of one application's environment; nil before the
    /// hub follows the store and after it stopped. The changes end when `unsubscribe` is called, the hub
    /// stops, or the subscriber fell `bufferLimit` changes behind.
    func subscribe(application: String, environment: String) -> (id: UInt64, changes: AsyncStream<HeadChange>)? {
        let (changes, continuation) = AsyncStream<HeadChange>.makeStream(bufferingPolicy: .bufferingOldest(Self.bufferLimit))
        let id: UInt64? = state.withLock { state in
            guard state.following && !state.stopped else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(application: application, environment: environment, continuation: continuation)
            return state.nextID
        }
        guard let id else { return nil }
        return (id, changes)
    }

    func unsubscribe(_ id: UInt64) {
        let subscriber = state.withLock { $0.subscribers.removeValue(forKey: id) }
        subscriber?.continuation.finish()
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    private func publish(_ change: HeadChange) {
        let targets = state.withLock { state in
            state.subscribers.filter { $0.value.application == change.namespace.application && $0.value.environment == change.namespace.environment }
        }
        for (id, subscriber) in targets {
            if case .dropped = subscriber.continuation.yield(change) {
                logger.warning("config watch fell behind; ending its stream", metadata: ["config.namespace": .string("\(change.namespace)")])
                unsubscribe(id)
            }
        }
    }
}

extension ReleaseHub {
    /// Follows the heads from `revision` until cancelled.
    private func follow(from revision: Int64) async {
        var next = revision
        while !Task.isCancelled {
            do {
                for try await event in store.watch(prefix: ConfigKeys.headsRoot, from: next) {
                    next = event.revision + 1
                    guard let namespace = ConfigKeys.parseHead(event.keyValue.key) else { continue }
                    let head = event.kind == .put ? try? ConfigJSON.decode(ReleaseHead.self, from: event.keyValue.value) : nil
                    publish(HeadChange(namespace: namespace, head: head, revision: event.revision))
                }
            } catch let error as StoreError where error.code == .compacted {
                logger.info("config head watch fell behind the store's history; reading every head", metadata: ["error": .string("\(error)")])
                next = await resync() ?? next
                continue
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("config head watch failed; watching again", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: Self.retryDelay)
        }
    }

    /// Passes every head on as a change; returns the revision to watch from,
    /// nil when the store could not be read.
    private func resync() async -> Int64? {
        do {
            let response = try await store.range(RangeRequest(.prefix(ConfigKeys.headsRoot)))
            for keyValue in response.keyValues {
                guard let namespace = ConfigKeys.parseHead(keyValue.key) else { continue }
                publish(HeadChange(namespace: namespace, head: try? ConfigJSON.decode(ReleaseHead.self, from: keyValue.value), revision: response.revision))
            }
            return response.revision + 1
        } catch {
            logger.warning("reading the config heads failed; trying again", metadata: ["error": .string("\(error)")])
            try? await Task.sleep(for: Self.retryDelay)
            return nil
        }
    }
}
