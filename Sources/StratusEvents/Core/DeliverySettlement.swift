import Synchronization

/// How a delivery was settled.
package enum Settlement: Sendable, Hashable {
    case ack
    case nack(delay: Duration)
}

/// Settles one delivery at most once and returns its flow-control credit.
///
/// Thread safety: the settled flag is behind a `Mutex`; `action` must be
/// safe to call from any task.
package final class DeliverySettlement: Sendable {
    private let settled = Mutex(false)
    private let window: CreditWindow?
    private let action: @Sendable (Settlement) async throws(EventBusError) -> Void

    package init(window: CreditWindow?, action: @escaping @Sendable (Settlement) async throws(EventBusError) -> Void) {
        self.window = window
        self.action = action
    }

    func settle(_ settlement: Settlement) async throws(EventBusError) {
        let first = settled.withLock { settled in
            defer { settled = true }
            return !settled
        }
        guard first else {
            throw EventBusError(.conflict, "the delivery was already acked or nacked; settle each delivery once")
        }
        if case .nack(let delay) = settlement, delay < .zero {
            throw .invalid("nack delay", "\(delay)", expected: "zero or more")
        }
        // The credit returns even when the broker call fails: the broker
        // then redelivers after the ack timeout, as for a lost ack.
        defer { window?.release() }
        try await action(settlement)
    }
}
