/// The deliveries of one subscription to a topic in a consumer group.
///
/// Iterate it to receive messages; settle each with `ack()` or
/// `nack(delay:)`. The subscription fetches only while fewer than
/// `maxInFlight` of its deliveries are unsettled, so a slow consumer holds
/// at most that many and the rest wait at the broker for other members.
///
/// Iteration ends after `cancel()`, when the iterating task is cancelled,
/// or with a thrown `EventBusError` for a failure that retrying cannot fix
/// (the bus was closed, or the broker rejects the subscription). A broker
/// that cannot be reached is retried with backoff and does not end it.
/// Messages delivered and not yet settled when it ends are delivered again
/// after their ack timeout.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = Delivery

    public let topic: String
    public let group: String
    private let stream: AsyncThrowingStream<Delivery, any Error>
    private let loop: SubscriptionLoop

    init(topic: String, group: String, stream: AsyncThrowingStream<Delivery, any Error>, loop: SubscriptionLoop) {
        self.topic = topic
        self.group = group
        self.stream = stream
        self.loop = loop
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator())
    }

    /// Stops fetching and ends iteration after the deliveries already received.
    public func cancel() {
        loop.cancel()
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Delivery, any Error>.Iterator

        public mutating func next() async throws -> Delivery? {
            try await base.next()
        }
    }
}
