import StratusEvents
import StratusHTTP

extension EventsAPI {
    func fetch(_ request: Request, topic: String, group: String) async throws -> Response {
        let body = try await Self.decode(BrokerWire.FetchRequest.self, from: request)
        let fetch = try Self.fetchRequest(body)
        let delivered = try await broker.fetch(topic: topic, group: group, fetch)
        let messages = delivered.map { message, count in
            BrokerWire.Message(
                sequence: message.sequence, key: message.key, headers: message.headers,
                payload: BrokerWire.encodePayload(message.payload), publishedAt: message.publishedAt, deliveryCount: count
            )
        }
        return try Response.json(BrokerWire.FetchResponse(messages: messages))
    }

    /// Checks a fetch body against the ranges `SubscriptionOptions` allows.
    static func fetchRequest(_ body: BrokerWire.FetchRequest) throws(EventBusError) -> EventBroker.FetchRequest {
        guard !body.consumer.isEmpty, body.consumer.utf8.count <= 128 else {
            throw .invalid("consumer", body.consumer, expected: "1 to 128 bytes identifying the subscription")
        }
        guard (1...1000).contains(body.maxMessages) else {
            throw .invalid("maxMessages", "\(body.maxMessages)", expected: "1 to 1000")
        }
        let wait = body.waitMilliseconds ?? 0
        guard (0...60_000).contains(wait) else {
            throw .invalid("waitMilliseconds", "\(wait)", expected: "0 to 60000")
        }
        let ackTimeout = body.ackTimeoutMilliseconds ?? 30_000
        guard (100...86_400_000).contains(ackTimeout) else {
            throw .invalid("ackTimeoutMilliseconds", "\(ackTimeout)", expected: "100 to 86400000")
        }
        let maxDeliveries = body.maxDeliveries ?? 5
        guard (1...1000).contains(maxDeliveries) else {
            throw .invalid("maxDeliveries", "\(maxDeliveries)", expected: "1 to 1000")
        }
        let maxInFlight = body.maxInFlight ?? 64
        guard (1...10_000).contains(maxInFlight) else {
            throw .invalid("maxInFlight", "\(maxInFlight)", expected: "1 to 10000")
        }
        return EventBroker.FetchRequest(
            consumer: body.consumer, maxMessages: body.maxMessages, wait: .milliseconds(wait),
            settings: GroupDispatch.Settings(ackTimeoutNanoseconds: UInt64(ackTimeout) * 1_000_000, maxDeliveries: maxDeliveries),
            maxInFlight: maxInFlight
        )
    }
}
