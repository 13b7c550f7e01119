public import StratusTelemetry

/// One delivery of a message to a member of a consumer group.
///
/// Settle every delivery exactly once with `ack()` or `nack(delay:)`. A
/// delivery left unsettled counts against the subscription's `maxInFlight`
/// until its ack timeout passes, and the broker then delivers it again,
/// possibly to another member.
public struct Delivery: Sendable {
    public let topic: String
    public let group: String
    /// The message's sequence in `topic`, the same in every delivery of it.
    public let sequence: UInt64
    /// The partition key the publisher gave, if any.
    public let key: String?
    /// The headers the publisher gave, with `traceparent` and `tracestate`
    /// when the publisher ran inside a traced span.
    public let headers: [String: String]
    public let payload: [UInt8]
    /// Which delivery this is to the group: 1 the first time, higher after
    /// a nack or an ack timeout.
    public let deliveryCount: Int
    /// When the broker stored the message, in milliseconds since 1970.
    public let publishedAtMilliseconds: Int64

    let settlement: DeliverySettlement

    package init(
        topic: String, group: String, sequence: UInt64, key: String?, headers: [String: String], payload: [UInt8],
        deliveryCount: Int, publishedAtMilliseconds: Int64, settlement: DeliverySettlement
    ) {
        self.topic = topic
        self.group = group
        self.sequence = sequence
        self.key = key
        self.headers = headers
        self.payload = payload
        self.deliveryCount = deliveryCount
        self.publishedAtMilliseconds = publishedAtMilliseconds
        self.settlement = settlement
    }

    /// Acknowledges the message: the group never receives it again. Returns
    /// once the broker has recorded the ack.
    ///
    /// - Throws: `EventBusError` with `conflict` when the delivery was
    ///   already settled, or `unavailable` when the broker cannot be reached;
    ///   the message is then delivered again after its ack timeout.
    public func ack() async throws(EventBusError) {
        try await settlement.settle(.ack)
    }

    /// Gives the message back for redelivery after `delay`, to any member.
    /// On the last allowed delivery the message moves to the dead-letter
    /// topic instead.
    public func nack(delay: Duration = .zero) async throws(EventBusError) {
        try await settlement.settle(.nack(delay: delay))
    }

    /// The trace context from the message's `traceparent` header, for a
    /// consumer span that continues the publisher's trace:
    /// `withSpan("process", context: delivery.traceContext, ofKind: .consumer)`.
    public var traceContext: ServiceContext {
        TracePropagation.extract(from: headers)
    }
}
