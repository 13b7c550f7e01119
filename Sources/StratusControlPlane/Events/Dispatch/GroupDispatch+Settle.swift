extension GroupDispatch {
    /// The outcome of an ack or nack.
    enum SettleResult: Equatable {
        case settled
        /// Already acked or dead-lettered: an ack of it changes nothing.
        case alreadySettled
        case redeliver
        case deadLettered(deliveries: Int)
        /// Never delivered to this group, so it cannot be settled.
        case notDelivered
        /// A nack of a message that is not in flight (its ack timeout
        /// passed, or it was nacked already).
        case notInFlight
    }

    /// Acks a message. A message whose ack timeout passed is still acked
    /// when no other member holds it yet, or when one does: the group then
    /// never receives it again, and the other member's ack is a no-op.
    mutating func ack(_ sequence: UInt64) -> (SettleResult, Effects) {
        var effects = Effects()
        if isSettled(sequence) {
            return (.alreadySettled, effects)
        }
        // A message delivered before a broker restart has attempts but is
        // past the cursor; its ack still counts.
        guard attempts[sequence] != nil else {
            return (.notDelivered, effects)
        }
        if let flight = inFlight[sequence] {
            release(sequence, consumer: flight.consumer)
        }
        settle(sequence, effects: &effects)
        effects.floor = advanceFloor()
        return (.settled, effects)
    }

    /// Returns an in-flight message for redelivery after `delay`
    /// nanoseconds, or dead-letters it when it used its last delivery.
    mutating func nack(_ sequence: UInt64, delay: UInt64, now: UInt64) -> (SettleResult, Effects) {
        var effects = Effects()
        if isSettled(sequence) {
            return (.alreadySettled, effects)
        }
        guard let flight = inFlight[sequence] else {
            return (sequence < cursor && attempts[sequence] != nil ? .notInFlight : .notDelivered, effects)
        }
        release(sequence, consumer: flight.consumer)
        let deliveries = attempts[sequence, default: 0]
        if deliveries >= settings.maxDeliveries {
            effects.deadLettered.append((sequence, deliveries))
            settle(sequence, effects: &effects)
            effects.floor = advanceFloor()
            return (.deadLettered(deliveries: deliveries), effects)
        }
        if delay == 0 {
            markReady(sequence)
        } else {
            delayed[sequence] = now + delay
        }
        return (.redeliver, effects)
    }

    /// Settles every unsettled message below `firstRetained`, which
    /// retention removed, and moves the cursor past them.
    mutating func dropRemoved(before firstRetained: UInt64) -> Effects {
        var effects = Effects()
        guard floor + 1 < firstRetained else { return effects }
        let removed = Set(attempts.keys.filter { $0 < firstRetained }).union(keyOf.keys.filter { $0 < firstRetained })
        for sequence in removed.sorted() {
            if let flight = inFlight[sequence] {
                release(sequence, consumer: flight.consumer)
            }
            settle(sequence, effects: &effects)
        }
        settledAbove = settledAbove.filter { $0 >= firstRetained }
        floor = max(floor, firstRetained - 1)
        cursor = max(cursor, firstRetained)
        _ = advanceFloor()
        effects.floor = floor
        return effects
    }
}
