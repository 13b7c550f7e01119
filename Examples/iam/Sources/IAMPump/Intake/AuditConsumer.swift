import IAMHTTP
import IAMModel
import StratusEvents
import StratusLog

/// Consumes audit batches from the event bus topic `iam.audit` as the group
/// `iam-pump`, so each batch goes to one pump, and stores them through the
/// intake.
///
/// A batch is acked only after it is stored. A storage failure nacks it for
/// redelivery after a second. A payload that is not an audit batch is
/// logged and acked, because redelivering it cannot help.
struct AuditConsumer: Sendable {
    let bus: EventBus
    let intake: AuditIntake
    let options: SubscriptionOptions
    let logger: Logger

    /// Consumes until cancelled, subscribing again after a failure.
    func run() async {
        while !Task.isCancelled {
            do {
                let subscription = try await bus.subscribe(EventTopics.audit, group: EventTopics.auditGroup, options: options)
                for try await delivery in subscription {
                    try await handle(delivery)
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("consuming audit records failed; subscribing again", metadata: ["error": .string("\(error)"), "topic": .string(EventTopics.audit)])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func handle(_ delivery: Delivery) async throws {
        let batch: AuditBatch
        do {
            batch = try JSONCoding.decode(AuditBatch.self, from: delivery.payload)
        } catch {
            logger.error("dropping a message that is not an audit batch", metadata: ["sequence": .stringConvertible(delivery.sequence), "error": .string("\(error)")])
            try await delivery.ack()
            return
        }
        do {
            _ = try await intake.accept(batch)
            try await delivery.ack()
        } catch let error as EventBusError {
            throw error
        } catch {
            logger.warning("storing audit records failed; asking for redelivery", metadata: ["sequence": .stringConvertible(delivery.sequence), "error": .string("\(error)")])
            try await delivery.nack(delay: .seconds(1))
        }
    }
}
