import Foundation

/// Long-polls the embedded broker's fetch endpoint for one subscription.
final class EmbeddedFetcher: DeliveryFetcher {
    private let client: EmbeddedBrokerClient
    private let topic: String
    private let group: String
    private let options: SubscriptionOptions
    /// This subscription's id at the broker, for its in-flight bound.
    private let consumer = UUID().uuidString.lowercased()

    init(client: EmbeddedBrokerClient, topic: String, group: String, options: SubscriptionOptions) {
        self.client = client
        self.topic = topic
        self.group = group
        self.options = options
    }

    func fetch(maxMessages: Int, window: CreditWindow) async throws(EventBusError) -> [Delivery] {
        let request = BrokerWire.FetchRequest(
            consumer: consumer,
            maxMessages: maxMessages,
            waitMilliseconds: options.fetchWait.wholeMilliseconds,
            ackTimeoutMilliseconds: options.ackTimeout.wholeMilliseconds,
            maxDeliveries: options.maxDeliveries,
            maxInFlight: options.maxInFlight
        )
        let reply: BrokerWire.FetchResponse = try await client.post(
            "/topics/\(topic)/groups/\(group)/fetch", request, timeout: options.fetchWait + client.timeout
        )
        return reply.messages.map { makeDelivery($0, window: window) }
    }

    private func makeDelivery(_ message: BrokerWire.Message, window: CreditWindow) -> Delivery {
        let client = client
        let topic = topic
        let group = group
        let settlement = DeliverySettlement(window: window) { settlement throws(EventBusError) in
            try await client.settle(topic: topic, group: group, sequence: message.sequence, settlement)
        }
        return Delivery(
            topic: topic, group: group, sequence: message.sequence, key: message.key, headers: message.headers,
            payload: BrokerWire.decodePayload(message.payload) ?? [], deliveryCount: message.deliveryCount,
            publishedAtMilliseconds: message.publishedAt, settlement: settlement
        )
    }

    func close() async {}
}
