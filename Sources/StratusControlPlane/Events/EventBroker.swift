import Foundation
public import StratusEvents
public import StratusLog
import StratusNet
import StratusStore
import Synchronization

/// The control plane's embedded event broker: durable topics in SQLite,
/// consumer groups with per-message delivery state, redelivery after an
/// ack timeout, dead-lettering and retention. `EventsAPI` serves it under
/// `/api/v1/events`; `EventBus` with the `embedded` backend is its client.
///
/// Durability: a publish returns after its message is in a synced SQLite
/// commit (WAL, `synchronous=FULL`), and consumers see it only then. Acks
/// return after the same. Delivery counts are written without waiting, so
/// a crash can lose the latest count; the message is then delivered again.
///
/// Thread safety: the topics are behind one `Mutex`; the journal's thread
/// alone writes the database.
public final class EventBroker: Sendable {
    struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, Never>
    }

    struct State {
        var topics: [String: TopicLog] = [:]
        var waiters: [String: [Waiter]] = [:]
        var nextWaiterID: UInt64 = 0
        /// Waiters whose timer fired before they registered.
        var firedWaiters: Set<UInt64> = []
        /// A counter per topic that every change raises, so that a fetch
        /// that found nothing notices a change made before it waits.
        var changes: [String: UInt64] = [:]
        var closed = false
    }

    public let configuration: EventBrokerConfiguration
    let state: Mutex<State>
    let journal: BrokerJournal
    let logger: Logger
    /// Monotonic nanoseconds, for ack deadlines and nack delays.
    let now: @Sendable () -> UInt64
    let retentionTask = Mutex<Task<Void, Never>?>(nil)

    /// Opens the broker's database (creating it) and loads what it stores.
    ///
    /// - Throws: `EventBusError` with `unavailable` when the database cannot
    ///   be opened, such as when another process uses it.
    public convenience init(configuration: EventBrokerConfiguration, logger: Logger = Logger(label: "stratus.events")) throws(EventBusError) {
        try self.init(configuration: configuration, logger: logger, now: { MonotonicClock.now() })
    }

    init(configuration: EventBrokerConfiguration, logger: Logger, now: @escaping @Sendable () -> UInt64) throws(EventBusError) {
        try configuration.retention.validate()
        self.configuration = configuration
        self.logger = logger
        self.now = now
        let storage: BrokerStorage
        let snapshot: BrokerSnapshot
        do {
            let path = try Self.databasePath(configuration.directory)
            storage = try BrokerStorage(path: path, syncEveryCommit: configuration.syncEveryCommit)
            snapshot = try storage.load()
        } catch let error as StoreError {
            throw EventBusError(.unavailable, error.message)
        } catch let error as EventBusError {
            throw error
        } catch {
            throw EventBusError(.unavailable, "\(error)")
        }
        state = Mutex(State(topics: Self.topics(from: snapshot)))
        journal = BrokerJournal(storage: storage, gathers: configuration.syncEveryCommit)
        startRetention()
    }

    private static func databasePath(_ directory: String?) throws(EventBusError) -> String {
        guard let directory else { return ":memory:" }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EventBusError(.unavailable, "cannot create the event broker directory \(directory): \(error.localizedDescription)")
        }
        return directory + "/events.db"
    }

    /// Ends waiting fetches, writes what is queued and closes the database.
    public func close() async {
        retentionTask.withLock { $0 }?.cancel()
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters = [:] }
            return state.waiters.values.flatMap { $0 }
        }
        waiters.forEach { $0.continuation.resume() }
        await journal.stop()
    }

    /// Stores a message and returns once it is synced to disk.
    public func publish(
        topic: String, key: String?, headers: [String: String], payload: [UInt8]
    ) async throws(EventBusError) -> PublishReceipt {
        try Self.validate(OutgoingEvent(topic: topic, key: key, headers: headers, payload: payload))
        let (sequence, ticket) = try state.withLock { state throws(EventBusError) in
            guard !state.closed else { throw EventBusError(.closed, "the event broker is shutting down; publish again once the control plane is back") }
            return append(&state, topic: topic, key: key, headers: headers, payload: payload)
        }
        try await journal.wait(for: ticket)
        makeVisible(topic: topic, through: sequence)
        return PublishReceipt(topic: topic, sequence: sequence)
    }

    /// Appends a message in memory and queues its record; the caller holds the lock.
    func append(_ state: inout State, topic: String, key: String?, headers: [String: String], payload: [UInt8]) -> (UInt64, UInt64) {
        let message = state.topics[topic, default: TopicLog()].append(
            publishedAt: Self.wallClockMilliseconds(), key: key, headers: headers, payload: payload
        )
        let headerBytes = Self.encodeHeaders(headers)
        let ticket = journal.enqueue([.append(
            topic: topic, sequence: message.sequence, publishedAt: message.publishedAt,
            key: Array((key ?? "").utf8), headers: headerBytes, payload: payload
        )])
        return (message.sequence, ticket)
    }

    /// Lets consumers see a topic's messages up to `sequence`, once they are
    /// on disk, and wakes the fetches waiting on it.
    func makeVisible(topic: String, through sequence: UInt64) {
        let waiters = state.withLock { state in
            if let visible = state.topics[topic]?.visibleThrough, visible < sequence {
                state.topics[topic]?.visibleThrough = sequence
            }
            state.changes[topic, default: 0] += 1
            return state.waiters.removeValue(forKey: topic) ?? []
        }
        waiters.forEach { $0.continuation.resume() }
    }

    /// Encodes headers as stored: a JSON object, `{}` without the encoder when empty.
    static func encodeHeaders(_ headers: [String: String]) -> [UInt8] {
        guard !headers.isEmpty else { return Array("{}".utf8) }
        return (try? JSONEncoder().encode(headers)).map { Array($0) } ?? Array("{}".utf8)
    }

    static func wallClockMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    private static func topics(from snapshot: BrokerSnapshot) -> [String: TopicLog] {
        var topics: [String: TopicLog] = [:]
        for (name, last) in snapshot.lastSequences {
            var log = TopicLog(lastSequence: 0)
            for message in snapshot.topics[name] ?? [] {
                let headers = (try? JSONDecoder().decode([String: String].self, from: Data(message.headers))) ?? [:]
                log.restore(StoredMessage(sequence: message.sequence, publishedAt: message.publishedAt, key: message.key, headers: headers, payload: message.payload))
            }
            log = log.withLastSequence(last)
            for (group, stored) in snapshot.groups[name] ?? [:] {
                var dispatch = GroupDispatch(settings: .defaults, floor: stored.floor, settledAbove: stored.settledAbove, attempts: stored.attempts)
                _ = dispatch.dropRemoved(before: log.firstSequence)
                log.groups[group] = dispatch
            }
            topics[name] = log
        }
        return topics
    }
}

extension GroupDispatch.Settings {
    /// The settings of a group restored from disk until a member's fetch
    /// brings its own: the `SubscriptionOptions` defaults.
    static let defaults = GroupDispatch.Settings(ackTimeoutNanoseconds: 30_000_000_000, maxDeliveries: 5)
}
