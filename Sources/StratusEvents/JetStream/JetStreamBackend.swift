import Foundation
import Synchronization

/// The NATS JetStream backend: topics are file-storage streams, groups are
/// durable pull consumers, and publishes wait for JetStream's PubAck.
///
/// Dead-lettering is done by this client: consumers allow unlimited
/// deliveries, and a member that receives a message past `maxDeliveries`,
/// or nacks its last allowed delivery, publishes it to `<topic>.dlq` and
/// then terminates it (`+TERM`) so JetStream stops redelivering it.
final class JetStreamBackend: EventBusBackend {
    let client: NATSClient
    let api: JetStreamAPI
    let partitions: Int
    let retention: EventRetention
    private let readyStreams = Mutex<Set<String>>([])

    init(urls: [String], configuration: EventBusConfiguration) throws(EventBusError) {
        var endpoints: [NATSEndpoint] = []
        for url in urls {
            endpoints.append(try NATSEndpoint(url: url))
        }
        client = NATSClient(endpoints: endpoints, timeout: configuration.requestTimeout)
        api = JetStreamAPI(client: client)
        partitions = configuration.natsPartitions
        retention = configuration.natsRetention
    }

    func names(_ topic: String) -> JetStreamNames {
        JetStreamNames(topic: topic, partitions: partitions)
    }

    /// Creates the topic's stream once per client.
    func ensureStream(_ topic: String) async throws(EventBusError) {
        guard !readyStreams.withLock({ $0.contains(topic) }) else { return }
        try await api.createStream(names(topic), retention: retention)
        _ = readyStreams.withLock { $0.insert(topic) }
    }

    func publish(_ event: OutgoingEvent) async throws(EventBusError) -> PublishReceipt {
        try await ensureStream(event.topic)
        var headers = event.headers
        headers[EventHeaders.key] = event.key
        let subject = names(event.topic).subject(forKey: event.key)
        var reply = try await client.request(subject, headers: headers, payload: event.payload)
        if reply.status == 503 {
            // No stream listens: it was deleted since this client created it.
            _ = readyStreams.withLock { $0.remove(event.topic) }
            try await ensureStream(event.topic)
            reply = try await client.request(subject, headers: headers, payload: event.payload)
        }
        return try Self.receipt(reply, topic: event.topic)
    }

    /// Reads a PubAck: `{"stream": ..., "seq": N}` or `{"error": {...}}`.
    private static func receipt(_ reply: NATSMessage, topic: String) throws(EventBusError) -> PublishReceipt {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(reply.payload))) as? [String: Any] else {
            throw EventBusError(.unavailable, "invalid PubAck for topic \(topic): status \(reply.status ?? 0), \(String(decoding: reply.payload.prefix(200), as: UTF8.self))")
        }
        if let error = object["error"] as? [String: Any] {
            throw JetStreamAPI.error(error, subject: "the publish to \(topic)")
        }
        guard let sequence = (object["seq"] as? NSNumber)?.uint64Value else {
            throw EventBusError(.unavailable, "PubAck for topic \(topic) has no seq: \(object)")
        }
        return PublishReceipt(topic: topic, sequence: sequence)
    }

    func makeFetcher(topic: String, group: String, options: SubscriptionOptions) async throws(EventBusError) -> any DeliveryFetcher {
        try await ensureStream(topic)
        let names = names(topic)
        for partition in 0..<partitions {
            try await api.createConsumer(
                stream: names.stream, name: names.keyedConsumer(group, partition), subject: names.keyedSubject(partition),
                ackWait: options.ackTimeout, maxAckPending: 1
            )
        }
        try await api.createConsumer(
            stream: names.stream, name: names.unkeyedConsumer(group), subject: names.unkeyedSubject,
            ackWait: options.ackTimeout, maxAckPending: Self.maxAckPending
        )
        return JetStreamFetcher(backend: self, names: names, group: group, options: options)
    }

    /// The most unacked messages without a key per group, as the embedded
    /// broker's default.
    static let maxAckPending = 10_000

    func close() async {
        client.close()
    }
}
