import StratusLog
import Synchronization

/// The task that fetches for one subscription while it has credit, and
/// yields the deliveries to the subscription's stream.
final class SubscriptionLoop: Sendable {
    private let fetcher: any DeliveryFetcher
    private let window: CreditWindow
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// The longest pause between attempts to reach a broker that failed.
    static let maxBackoff: Duration = .seconds(2)

    private init(fetcher: any DeliveryFetcher, window: CreditWindow, logger: Logger) {
        self.fetcher = fetcher
        self.window = window
        self.logger = logger
    }

    /// Starts fetching and returns the subscription that iterates the deliveries.
    static func start(
        topic: String, group: String, fetcher: any DeliveryFetcher, window: CreditWindow, logger: Logger
    ) -> EventSubscription {
        let loop = SubscriptionLoop(fetcher: fetcher, window: window, logger: logger)
        let (stream, continuation) = AsyncThrowingStream<Delivery, any Error>.makeStream()
        continuation.onTermination = { _ in loop.cancel() }
        let task = Task {
            await loop.run(continuation, topic: topic, group: group)
        }
        loop.task.withLock { $0 = task }
        return EventSubscription(topic: topic, group: group, stream: stream, loop: loop)
    }

    func cancel() {
        window.close()
        task.withLock { $0 }?.cancel()
    }

    private func run(_ continuation: AsyncThrowingStream<Delivery, any Error>.Continuation, topic: String, group: String) async {
        var backoff: Duration = .milliseconds(50)
        defer { continuation.finish() }
        while !Task.isCancelled {
            let credit = await window.waitForCredit()
            guard credit > 0, !Task.isCancelled else { break }
            do {
                let deliveries = try await fetcher.fetch(maxMessages: credit, window: window)
                backoff = .milliseconds(50)
                window.take(deliveries.count)
                if Task.isCancelled {
                    await giveBack(deliveries)
                    break
                }
                deliveries.forEach { continuation.yield($0) }
            } catch where Self.isRetryable(error) {
                logger.warning("event fetch failed; retrying", metadata: [
                    "events.topic": .string(topic), "events.group": .string(group), "error": .string(error.message),
                ])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, Self.maxBackoff)
            } catch {
                continuation.finish(throwing: error)
                break
            }
        }
        await fetcher.close()
    }

    /// Nacks deliveries that arrived after cancellation, so other members
    /// get them without waiting for the ack timeout.
    private func giveBack(_ deliveries: [Delivery]) async {
        for delivery in deliveries {
            try? await delivery.nack()
        }
    }

    static func isRetryable(_ error: EventBusError) -> Bool {
        error.code == .unavailable || error.code == .timedOut
    }
}
