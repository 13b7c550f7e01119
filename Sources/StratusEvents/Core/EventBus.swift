import StratusLog
import StratusTelemetry

/// Publishes events to topics and subscribes consumer groups to them, over
/// the control plane's embedded broker or NATS JetStream, with the same
/// semantics on both (docs/events.md):
///
/// - `publish` returns once the broker has stored the message.
/// - Each consumer group receives every message at least once; the members
///   of one group share the messages, each message going to one member.
/// - A message that is not acked within the group's ack timeout, or is
///   nacked, is delivered again. After `maxDeliveries` deliveries it moves
///   to the dead-letter topic `<topic>.dlq`.
/// - Messages with the same key reach a group in the order the broker
///   stored them, one at a time: the next waits until the previous one is
///   acked or dead-lettered.
///
/// ```swift
/// let bus = try EventBus(configuration: .init(backend: .embedded(url: "http://127.0.0.1:7700")))
/// try await bus.publish("orders", payload: Array("{}".utf8), key: "order-17")
/// for try await delivery in try await bus.subscribe("orders", group: "billing") {
///     try await delivery.ack()
/// }
/// ```
public final class EventBus: Sendable {
    public let configuration: EventBusConfiguration
    private let backend: any EventBusBackend

    public init(configuration: EventBusConfiguration) throws(EventBusError) {
        try configuration.validate()
        self.configuration = configuration
        switch configuration.backend {
        case .embedded(let url):
            backend = EmbeddedBrokerClient(baseURL: url, timeout: configuration.requestTimeout)
        case .nats(let urls):
            backend = try JetStreamBackend(urls: urls, configuration: configuration)
        }
    }

    /// Stores a message in `topic` and returns once the broker has it on disk
    /// (embedded: synced to disk; NATS: see docs/events.md for what its
    /// PubAck promises).
    ///
    /// The publish runs in a producer span named `<topic> publish`, a child
    /// of the calling task's span. When the trace is known, the span's
    /// context travels in the `traceparent` and `tracestate` headers unless
    /// `headers` already has them. A publish that fails with `unavailable` or
    /// `timedOut` may still have been stored: publishing again may store
    /// the message twice, which at-least-once consumers handle anyway.
    ///
    /// - Parameters:
    ///   - key: the partition key; messages with one key are delivered to a
    ///     group in order, one at a time.
    /// - Throws: `EventBusError` (`invalidArgument` naming the bad value).
    @discardableResult
    public func publish(
        _ topic: String, payload: [UInt8], headers: [String: String] = [:], key: String? = nil
    ) async throws(EventBusError) -> PublishReceipt {
        try EventNames.validateTopic(topic)
        if let key {
            try EventNames.validateKey(key)
        }
        try EventHeaders.validate(headers)
        guard payload.count <= Self.maxPayloadSize else {
            throw .invalid("payload size", "\(payload.count)", expected: "at most \(Self.maxPayloadSize) bytes")
        }
        // The producer span's context, not the caller's, travels with the
        // message, so consumer spans hang off the publish.
        let span = InstrumentationSystem.tracer.startSpan("\(topic) publish", context: ServiceContext.current ?? .topLevel, ofKind: .producer)
        defer { span.end() }
        var headers = headers
        TracePropagation.inject(span.context, into: &headers)
        do {
            return try await backend.publish(OutgoingEvent(topic: topic, key: key, headers: headers, payload: payload))
        } catch {
            span.recordError(error)
            span.setStatus(.error(error.message))
            throw error
        }
    }

    /// Joins consumer group `group` of `topic` and returns its deliveries.
    ///
    /// A new group starts at the oldest message the topic retains, so it
    /// receives messages published before it first subscribed.
    ///
    /// - Throws: `EventBusError` for invalid names or options, or when the
    ///   broker cannot be reached to prepare the group.
    public func subscribe(
        _ topic: String, group: String, options: SubscriptionOptions = SubscriptionOptions()
    ) async throws(EventBusError) -> EventSubscription {
        try EventNames.validateTopic(topic)
        try EventNames.validateGroup(group)
        try options.validate()
        let fetcher = try await backend.makeFetcher(topic: topic, group: group, options: options)
        return SubscriptionLoop.start(
            topic: topic, group: group, fetcher: fetcher, window: CreditWindow(limit: options.maxInFlight), logger: configuration.logger
        )
    }

    /// Closes connections to the broker. Cancel subscriptions first.
    public func close() async {
        await backend.close()
    }

    /// The largest payload, 1 MiB, NATS's default maximum message size.
    public static let maxPayloadSize = 1 << 20
}
