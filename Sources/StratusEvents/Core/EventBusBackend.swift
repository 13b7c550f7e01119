/// What each backend of the bus implements: the embedded broker's HTTP
/// client and the NATS JetStream client.
package protocol EventBusBackend: Sendable {
    /// Stores the message and returns once the broker confirmed it.
    func publish(_ event: OutgoingEvent) async throws(EventBusError) -> PublishReceipt

    /// Prepares the group at the broker and returns the fetcher of one
    /// subscription.
    func makeFetcher(topic: String, group: String, options: SubscriptionOptions) async throws(EventBusError) -> any DeliveryFetcher

    func close() async
}
