import StratusEvents
import Synchronization

extension EventBroker {
    /// Stores several messages with one commit and returns, in order, each
    /// one's receipt or the error that rejected it. A message that fails
    /// validation fails alone; the others are stored.
    func publish(batch: [OutgoingEvent]) async -> [Result<PublishReceipt, EventBusError>] {
        var results: [Result<PublishReceipt, EventBusError>] = batch.map { event in
            Result { () throws(EventBusError) in
                try Self.validate(event)
                return PublishReceipt(topic: event.topic, sequence: 0)
            }
        }
        let ticket: UInt64
        do {
            ticket = try state.withLock { state throws(EventBusError) in
                guard !state.closed else { throw EventBusError(.closed, "the event broker is shutting down; publish again once the control plane is back") }
                var ticket: UInt64 = 0
                for (index, event) in batch.enumerated() where (try? results[index].get()) != nil {
                    let (sequence, queued) = append(&state, topic: event.topic, key: event.key, headers: event.headers, payload: event.payload)
                    results[index] = .success(PublishReceipt(topic: event.topic, sequence: sequence))
                    ticket = queued
                }
                return ticket
            }
            try await journal.wait(for: ticket)
        } catch {
            return batch.map { _ in .failure(error) }
        }
        var newest: [String: UInt64] = [:]
        for case .success(let receipt) in results {
            newest[receipt.topic] = max(newest[receipt.topic] ?? 0, receipt.sequence)
        }
        for (topic, sequence) in newest {
            makeVisible(topic: topic, through: sequence)
        }
        return results
    }

    static func validate(_ event: OutgoingEvent) throws(EventBusError) {
        try EventNames.validateTopic(event.topic)
        if let key = event.key {
            try EventNames.validateKey(key)
        }
        try EventHeaders.validate(event.headers)
        guard event.payload.count <= EventBus.maxPayloadSize else {
            throw .invalid("payload size", "\(event.payload.count)", expected: "at most \(EventBus.maxPayloadSize) bytes")
        }
    }
}
