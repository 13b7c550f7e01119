import StratusNet
import Synchronization
import StratusEvents

extension EventBroker {
    /// What one member's fetch asks for.
    struct FetchRequest {
        var consumer: String
        var maxMessages: Int
        var wait: Duration
        var settings: GroupDispatch.Settings
        var maxInFlight: Int
    }

    /// Delivers up to `maxMessages` to the member, waiting up to `wait` for
    /// messages to become available. Creates the group at the topic's
    /// oldest retained message when it is new.
    func fetch(topic: String, group: String, _ request: FetchRequest) async throws(EventBusError) -> [(StoredMessage, Int)] {
        try EventNames.validateTopic(topic)
        try EventNames.validateGroup(group)
        let deadline = now() + request.wait.nanoseconds
        while true {
            let (messages, nextDeadline, version) = try state.withLock { state throws(EventBusError) in
                guard !state.closed else { throw EventBusError(.closed, "the event broker is shutting down; fetch again after restart") }
                let (messages, nextDeadline) = take(&state, topic: topic, group: group, request)
                return (messages, nextDeadline, state.changes[topic, default: 0])
            }
            let current = now()
            if !messages.isEmpty || current >= deadline {
                return messages
            }
            await waitForChange(topic: topic, after: version, until: min(deadline, nextDeadline ?? deadline))
        }
    }

    private func take(_ state: inout State, topic: String, group: String, _ request: FetchRequest) -> ([(StoredMessage, Int)], UInt64?) {
        var log = state.topics.removeValue(forKey: topic) ?? TopicLog()
        defer { state.topics[topic] = log }
        var records: [BrokerRecord] = []
        if log.groups[group] == nil {
            log.groups[group] = GroupDispatch(settings: request.settings, floor: log.firstSequence - 1)
            records.append(.floor(topic: topic, group: group, floor: log.firstSequence - 1))
        }
        var dispatch = log.groups[group]!
        dispatch.settings = request.settings
        let room = min(request.maxMessages, configuration.maxAckPending - dispatch.inFlight.count)
        let snapshot = log
        let effects = dispatch.take(
            maxMessages: max(room, 0), consumer: request.consumer, consumerLimit: request.maxInFlight,
            now: now(), lastSequence: log.visibleThrough
        ) { sequence in
            snapshot.message(sequence).map { $0.key }
        }
        log.groups[group] = dispatch
        records += Self.records(topic: topic, group: group, effects)
        let delivered = effects.delivered.compactMap { entry in
            log.message(entry.sequence).map { ($0, entry.deliveryCount) }
        }
        state.topics[topic] = log
        deadLetter(&state, topic: topic, group: group, effects.deadLettered, records: &records)
        log = state.topics[topic]!
        journal.enqueue(records)
        return (delivered, dispatch.nextDeadline)
    }

    /// The records of a dispatch step: delivery counts, settles and the floor.
    static func records(topic: String, group: String, _ effects: GroupDispatch.Effects) -> [BrokerRecord] {
        var records = effects.delivered.map { BrokerRecord.attempt(topic: topic, group: group, sequence: $0.sequence, count: $0.deliveryCount) }
        records += effects.settled.map { BrokerRecord.settle(topic: topic, group: group, sequence: $0) }
        if let floor = effects.floor {
            records.append(.floor(topic: topic, group: group, floor: floor))
        }
        return records
    }

    /// Waits until a publish, ack or nack changes `topic` after `version`
    /// of it, or until `deadline` (monotonic nanoseconds).
    func waitForChange(topic: String, after version: UInt64, until deadline: UInt64) async {
        let delay = deadline > now() ? deadline - now() : 0
        guard delay > 0 else { return }
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .nanoseconds(Int64(delay)))
            self?.wake(topic: topic, id: id)
        }
        await withCheckedContinuation { continuation in
            let register = state.withLock { state in
                guard !state.closed, state.firedWaiters.remove(id) == nil, state.changes[topic, default: 0] == version else { return false }
                state.waiters[topic, default: []].append(Waiter(id: id, continuation: continuation))
                return true
            }
            if !register {
                continuation.resume()
            }
        }
        timer.cancel()
        state.withLock { _ = $0.firedWaiters.remove(id) }
    }

    /// Resumes one waiter whose time ran out.
    private func wake(topic: String, id: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters[topic]?.firstIndex(where: { $0.id == id }) else {
                state.firedWaiters.insert(id)
                return nil
            }
            return state.waiters[topic]?.remove(at: index)
        }
        waiter?.continuation.resume()
    }

    /// Wakes every fetch waiting on `topic`.
    func wakeAll(topic: String) {
        let waiters = state.withLock { state in
            state.changes[topic, default: 0] += 1
            return state.waiters.removeValue(forKey: topic) ?? []
        }
        waiters.forEach { $0.continuation.resume() }
    }
}
