import StratusLog
import StratusNet
import Synchronization
import Foundation
import StratusEvents

extension EventBroker {
    /// Acks a delivered message for `group`; returns once the ack is on disk.
    func ack(topic: String, group: String, sequence: UInt64) async throws(EventBusError) {
        let ticket = try settle(topic: topic, group: group, sequence: sequence) { dispatch in
            dispatch.ack(sequence)
        }
        try await journal.wait(for: ticket)
        wakeAll(topic: topic)
    }

    /// Returns a message for redelivery after `delay`, or dead-letters it
    /// on its last delivery.
    func nack(topic: String, group: String, sequence: UInt64, delay: Duration) async throws(EventBusError) {
        let nowNanoseconds = now()
        let ticket = try settle(topic: topic, group: group, sequence: sequence) { dispatch in
            dispatch.nack(sequence, delay: delay.nanoseconds, now: nowNanoseconds)
        }
        try await journal.wait(for: ticket)
        wakeAll(topic: topic)
    }

    private func settle(
        topic: String, group: String, sequence: UInt64,
        _ step: (inout GroupDispatch) -> (GroupDispatch.SettleResult, GroupDispatch.Effects)
    ) throws(EventBusError) -> UInt64 {
        try EventNames.validateTopic(topic)
        try EventNames.validateGroup(group)
        return try state.withLock { state throws(EventBusError) in
            guard !state.closed else { throw EventBusError(.closed, "the event broker is shutting down; the message is delivered again after restart") }
            guard var dispatch = state.topics[topic]?.groups[group] else {
                throw EventBusError(.notFound, "group \(group) of topic \(topic) not found; subscribe to create it")
            }
            let (result, effects) = step(&dispatch)
            state.topics[topic]?.groups[group] = dispatch
            var records = Self.records(topic: topic, group: group, effects)
            deadLetter(&state, topic: topic, group: group, effects.deadLettered, records: &records)
            try Self.check(result, topic: topic, group: group, sequence: sequence)
            return journal.enqueue(records)
        }
    }

    private static func check(_ result: GroupDispatch.SettleResult, topic: String, group: String, sequence: UInt64) throws(EventBusError) {
        switch result {
        case .settled, .alreadySettled, .redeliver, .deadLettered:
            return
        case .notDelivered:
            throw EventBusError(.notFound, "message \(sequence) of topic \(topic) was not delivered to group \(group); settle only messages a fetch returned")
        case .notInFlight:
            throw EventBusError(.conflict, "message \(sequence) of topic \(topic) is not in flight in group \(group): its ack timeout passed or it was nacked; it is delivered again")
        }
    }

    /// Moves messages that used their last delivery to the dead-letter
    /// topic, with headers that give the reason. The caller holds the lock and
    /// enqueues `records`, which the dead letters join so that settling and
    /// moving commit together.
    func deadLetter(_ state: inout State, topic: String, group: String, _ entries: [(sequence: UInt64, deliveries: Int)], records: inout [BrokerRecord]) {
        guard !entries.isEmpty else { return }
        let target = EventNames.deadLetterTopic(of: topic)
        var last: UInt64 = 0
        for entry in entries {
            guard let message = state.topics[topic]?.message(entry.sequence) else { continue }
            var headers = message.headers
            headers[EventHeaders.deadLetterReason] = "max deliveries reached (\(entry.deliveries))"
            headers[EventHeaders.deadLetterTopic] = topic
            headers[EventHeaders.deadLetterGroup] = group
            headers[EventHeaders.deadLetterSequence] = "\(entry.sequence)"
            headers[EventHeaders.deadLetterDeliveries] = "\(entry.deliveries)"
            let stored = state.topics[target, default: TopicLog()].append(
                publishedAt: Self.wallClockMilliseconds(), key: message.key, headers: headers, payload: message.payload
            )
            let headerBytes = Self.encodeHeaders(headers)
            records.append(.append(
                topic: target, sequence: stored.sequence, publishedAt: stored.publishedAt,
                key: Array((message.key ?? "").utf8), headers: headerBytes, payload: message.payload
            ))
            last = stored.sequence
            logger.warning("message dead-lettered", metadata: [
                "events.topic": .string(topic), "events.group": .string(group),
                "events.sequence": .stringConvertible(entry.sequence), "events.deliveries": .stringConvertible(entry.deliveries),
            ])
        }
        let ticket = journal.enqueue(records)
        records = []
        guard last > 0 else { return }
        Task { [weak self] in
            try? await self?.journal.wait(for: ticket)
            self?.makeVisible(topic: target, through: last)
        }
    }
}
