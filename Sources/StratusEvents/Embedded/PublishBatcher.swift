import Synchronization

/// Sends concurrent publishes to the embedded broker in batches: while
/// `maxBatchesInFlight` requests are under way, further publishes queue and
/// leave together in the next request. A lone
/// publisher waits for nothing: its message leaves at once, alone.
///
/// Each publish still returns only once the broker stored its message, and
/// fails on its own when the broker rejects it.
///
/// Thread safety: the queue is behind a `Mutex`.
final class PublishBatcher: Sendable {
    typealias Send = @Sendable ([OutgoingEvent]) async -> [Result<PublishReceipt, EventBusError>]

    private struct Waiting {
        var event: OutgoingEvent
        var continuation: CheckedContinuation<Result<PublishReceipt, EventBusError>, Never>
    }

    private struct State {
        var queue: [Waiting] = []
        var batchesInFlight = 0
    }

    /// The maximum number of messages in one request.
    static let maxBatchSize = 256

    private let maxBatchesInFlight: Int
    private let send: Send
    private let state = Mutex(State())

    init(maxBatchesInFlight: Int = 4, send: @escaping Send) {
        self.maxBatchesInFlight = maxBatchesInFlight
        self.send = send
    }

    func publish(_ event: OutgoingEvent) async throws(EventBusError) -> PublishReceipt {
        let result = await withCheckedContinuation { continuation in
            let startSender = state.withLock { state in
                state.queue.append(Waiting(event: event, continuation: continuation))
                guard state.batchesInFlight < maxBatchesInFlight else { return false }
                state.batchesInFlight += 1
                return true
            }
            if startSender {
                Task { await self.drain() }
            }
        }
        return try result.get()
    }

    /// Sends batches until the queue is empty, then stops.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.queue.prefix(Self.maxBatchSize))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty {
                    state.batchesInFlight -= 1
                }
                return batch
            }
            guard !batch.isEmpty else { return }
            let results = await send(batch.map(\.event))
            for (index, waiting) in batch.enumerated() {
                let result = index < results.count
                    ? results[index]
                    : .failure(EventBusError(.unavailable, "the embedded broker returned \(results.count) results for a batch of \(batch.count)"))
                waiting.continuation.resume(returning: result)
            }
        }
    }
}
