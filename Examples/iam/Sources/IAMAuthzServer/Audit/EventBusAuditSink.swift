public import IAMHTTP
import IAMModel
public import StratusEvents

/// Publishes audit batches to the event bus topic `iam.audit`, which the
/// pumps consume as one group, so each batch is stored by one pump.
///
/// A batch whose JSON exceeds `maxMessageSize` is split in halves until
/// each part fits in one message.
public struct EventBusAuditSink: AuditSink {
    let bus: EventBus
    let maxMessageSize: Int

    public init(bus: EventBus, maxMessageSize: Int = 512 * 1024) {
        self.bus = bus
        self.maxMessageSize = maxMessageSize
    }

    public func send(_ batch: AuditBatch, id: String) async throws {
        let payload = try JSONCoding.encode(batch)
        guard payload.count > maxMessageSize, batch.records.count > 1 else {
            try await bus.publish(EventTopics.audit, payload: payload, headers: ["content-type": "application/json"])
            return
        }
        let half = batch.records.count / 2
        try await send(AuditBatch(records: Array(batch.records[..<half])), id: id)
        try await send(AuditBatch(records: Array(batch.records[half...])), id: id)
    }
}
