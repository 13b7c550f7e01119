public import IAMHTTP
import IAMModel
public import StratusEvents
public import StratusLog
import Synchronization

/// Follows changes on the event bus topic `iam.changes` and reads snapshots
/// from another source (the API server).
///
/// Every authorization server must see every change, so each subscribes
/// with a consumer group of its own, named after its instance. A new group
/// starts at the oldest retained event; events at or below the revision
/// asked for are dropped, because the snapshot already covers them.
///
/// Thread safety: received events wait in a `Mutex`-guarded buffer that
/// `changes(after:)` drains; the subscription runs in a task of its own.
public final class EventBusChangeSource: ChangeSource {
    private let snapshots: any ChangeSource
    private let bus: EventBus
    private let group: String
    private let wait: Duration
    private let logger: Logger
    private let state = Mutex(State())

    struct State {
        var events: [ChangeEvent] = []
        var failure: (any Error)?
        var subscriber: Task<Void, Never>?
    }

    /// - Parameter instanceID: this server's instance id; its group is
    ///   `iam-authz-` and the id's letters, digits and dashes.
    public init(snapshots: any ChangeSource, bus: EventBus, instanceID: String, wait: Duration, logger: Logger) {
        self.snapshots = snapshots
        self.bus = bus
        self.wait = wait
        self.logger = logger
        let safe = String(instanceID.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.filter(\.isASCII))
        group = String(("iam-authz-" + safe).prefix(64))
    }

    deinit {
        state.withLock { $0.subscriber?.cancel() }
    }

    public func snapshot() async throws -> AuthorizationSnapshot {
        try await snapshots.snapshot()
    }

    /// Returns the buffered events after `revision`, polling the buffer for
    /// up to the wait; rethrows a subscription failure once, then
    /// subscribes again.
    public func changes(after revision: Int64) async throws -> ChangeBatch {
        startIfNeeded()
        let deadline = ContinuousClock.now + wait
        while true {
            let (events, failure) = state.withLock { state in
                defer {
                    state.events = []
                    state.failure = nil
                }
                if state.failure != nil { state.subscriber = nil }
                return (state.events.filter { $0.revision > revision }, state.failure)
            }
            if let failure { throw failure }
            if let last = events.last { return ChangeBatch(revision: last.revision, events: events) }
            guard ContinuousClock.now < deadline, !Task.isCancelled else { return ChangeBatch(revision: revision, events: []) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func startIfNeeded() {
        state.withLock { state in
            guard state.subscriber == nil else { return }
            state.subscriber = Task { [self] in await consume() }
        }
    }

    private func consume() async {
        do {
            let subscription = try await bus.subscribe(EventTopics.changes, group: group)
            for try await delivery in subscription {
                if let event = try? JSONCoding.decode(ChangeEvent.self, from: delivery.payload) {
                    state.withLock { $0.events.append(event) }
                } else {
                    logger.warning("dropping an undecodable change event", metadata: ["sequence": .stringConvertible(delivery.sequence)])
                }
                try await delivery.ack()
            }
        } catch {
            state.withLock { $0.failure = error }
        }
    }
}
