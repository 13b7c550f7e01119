public import IAMHTTP
public import StratusEvents

/// Publishes audit batches to the event bus topic `iam.audit`, which the
/// pumps consume as one group, so each batch is stored by one pump.
///
/// A batch whose JSON exceeds `maxMessageSize` is split into consecutive
/// parts that each fit in one message, unless one record alone exceeds it
/// (see `AuditBatch.encodedParts`).
public struct EventBusAuditSink: AuditSink {
    let bus: EventBus
    let maxMessageSize: Int

    public init(bus: EventBus, maxMessageSize: Int = 512 * 1024) {
        self.bus = bus
        self.maxMessageSize = maxMessageSize
    }

    public func send(_ batch: AuditBatch, id: String) async throws {
        for part in try batch.encodedParts(maxBytes: maxMessageSize) {
            try await bus.publish(EventTopics.audit, payload: part.body, headers: ["content-type": "application/json"])
        }
    }
}
