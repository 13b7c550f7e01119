/// The NATS JetStream backend.
final class JetStreamBackend: EventBusBackend {
    init(urls: [String], configuration: EventBusConfiguration) throws(EventBusError) {}

    func publish(_ event: OutgoingEvent) async throws(EventBusError) -> PublishReceipt {
        throw EventBusError(.unavailable, "not yet")
    }

    func makeFetcher(topic: String, group: String, options: SubscriptionOptions) async throws(EventBusError) -> any DeliveryFetcher {
        throw EventBusError(.unavailable, "not yet")
    }

    func close() async {}
}
