/// The delivery state of one consumer group on one topic: which messages
/// are in flight, waiting for redelivery, blocked behind an earlier message
/// of their key, or settled. A value type without I/O or clocks: callers
/// pass the time (monotonic nanoseconds) and apply the returned effects.
///
/// Ordering: a keyed message is delivered only when it is the oldest
/// unsettled message of its key in this group, so messages of one key go
/// out in sequence order, one at a time. Messages without a key are not
/// ordered against anything.
struct GroupDispatch {
    struct Settings: Hashable {
        var ackTimeoutNanoseconds: UInt64
        var maxDeliveries: Int
    }

    struct InFlight {
        var consumer: String
        var deadline: UInt64
    }

    /// What the broker writes and does after a step.
    struct Effects {
        /// Messages delivered now, with their delivery counts.
        var delivered: [(sequence: UInt64, deliveryCount: Int)] = []
        /// Messages that used their last delivery; the broker moves them to
        /// the dead-letter topic.
        var deadLettered: [(sequence: UInt64, deliveries: Int)] = []
        /// Sequences settled in this step, to record as acked.
        var settled: [UInt64] = []
        /// The new floor, when it moved.
        var floor: UInt64?
    }

    /// Looks up a retained message's key: nil when the message is gone
    /// (removed by retention), `.some(nil)` for a message without a key.
    typealias KeyLookup = (UInt64) -> String??

    var settings: Settings
    /// Every sequence up to the floor is settled: acked, dead-lettered, or
    /// removed by retention.
    var floor: UInt64
    /// The next sequence never examined.
    var cursor: UInt64
    /// Settled sequences above the floor.
    var settledAbove: Set<UInt64>
    /// Deliveries so far of unsettled messages.
    var attempts: [UInt64: Int]
    var inFlight: [UInt64: InFlight] = [:]
    var inFlightByConsumer: [String: Int] = [:]
    private var ready = SequenceHeap()
    private var readySet: Set<UInt64> = []
    /// Nacked with a delay: sequence to the time it becomes ready.
    var delayed: [UInt64: UInt64] = [:]
    /// Unsettled examined messages of each key, oldest first.
    private var keyQueues: [String: KeyQueue] = [:]
    var keyOf: [UInt64: String] = [:]

    init(settings: Settings, floor: UInt64 = 0, settledAbove: Set<UInt64> = [], attempts: [UInt64: Int] = [:]) {
        self.settings = settings
        self.floor = floor
        cursor = floor + 1
        self.settledAbove = settledAbove
        self.attempts = attempts
    }

    /// Sequences examined but not settled, for the pending count.
    var unsettledCount: Int { Int(cursor - 1 - floor) - settledAbove.count }

    /// The earliest time something becomes deliverable without a publish:
    /// an ack deadline or a nack delay.
    var nextDeadline: UInt64? {
        let inFlightDeadline = inFlight.values.lazy.map(\.deadline).min()
        let delayDeadline = delayed.values.min()
        return [inFlightDeadline, delayDeadline].compactMap { $0 }.min()
    }
}

/// The unsettled messages of one key, oldest first.
private struct KeyQueue {
    var sequences: [UInt64] = []
    var head = 0

    var first: UInt64? { head < sequences.count ? sequences[head] : nil }

    mutating func append(_ sequence: UInt64) {
        sequences.append(sequence)
    }

    mutating func removeFirst() {
        head += 1
        if head > 32 && head * 2 > sequences.count {
            sequences.removeFirst(head)
            head = 0
        }
    }

    var isEmpty: Bool { head >= sequences.count }
}

extension GroupDispatch {
    /// Delivers up to `maxMessages` to `consumer`, oldest first, never
    /// letting the consumer hold more than `consumerLimit`. Expired
    /// deliveries and elapsed nack delays are handled first.
    mutating func take(
        maxMessages: Int, consumer: String, consumerLimit: Int, now: UInt64, lastSequence: UInt64, key: KeyLookup
    ) -> Effects {
        var effects = Effects()
        expire(now: now, effects: &effects)
        let room = min(maxMessages, consumerLimit - inFlightByConsumer[consumer, default: 0])
        while effects.delivered.count < room, let sequence = ready.pop() {
            readySet.remove(sequence)
            guard !isSettled(sequence), inFlight[sequence] == nil else { continue }
            guard key(sequence) != nil else {
                settle(sequence, effects: &effects)
                continue
            }
            deliver(sequence, to: consumer, now: now, effects: &effects)
        }
        while effects.delivered.count < room, cursor <= lastSequence {
            let sequence = cursor
            cursor += 1
            guard !settledAbove.contains(sequence) else { continue }
            guard let messageKey = key(sequence) else {
                settle(sequence, effects: &effects)
                continue
            }
            if let messageKey {
                keyOf[sequence] = messageKey
                keyQueues[messageKey, default: KeyQueue()].append(sequence)
                guard keyQueues[messageKey]?.first == sequence else { continue }
            }
            deliver(sequence, to: consumer, now: now, effects: &effects)
        }
        effects.floor = advanceFloor()
        return effects
    }

    /// Makes every in-flight delivery past its deadline, and every nack
    /// delay that has passed, ready again; gives up messages that used
    /// their last delivery.
    mutating func expire(now: UInt64, effects: inout Effects) {
        for (sequence, flight) in inFlight where flight.deadline <= now {
            release(sequence, consumer: flight.consumer)
            makeReadyOrDeadLetter(sequence, effects: &effects)
        }
        for (sequence, readyAt) in delayed where readyAt <= now {
            delayed.removeValue(forKey: sequence)
            markReady(sequence)
        }
    }

    private mutating func deliver(_ sequence: UInt64, to consumer: String, now: UInt64, effects: inout Effects) {
        let count = attempts[sequence, default: 0] + 1
        attempts[sequence] = count
        inFlight[sequence] = InFlight(consumer: consumer, deadline: now + settings.ackTimeoutNanoseconds)
        inFlightByConsumer[consumer, default: 0] += 1
        effects.delivered.append((sequence, count))
    }

    mutating func release(_ sequence: UInt64, consumer: String) {
        inFlight.removeValue(forKey: sequence)
        let remaining = inFlightByConsumer[consumer, default: 1] - 1
        inFlightByConsumer[consumer] = remaining > 0 ? remaining : nil
    }

    private mutating func makeReadyOrDeadLetter(_ sequence: UInt64, effects: inout Effects) {
        let deliveries = attempts[sequence, default: 0]
        if deliveries >= settings.maxDeliveries {
            effects.deadLettered.append((sequence, deliveries))
            settle(sequence, effects: &effects)
        } else {
            markReady(sequence)
        }
    }

    mutating func markReady(_ sequence: UInt64) {
        guard readySet.insert(sequence).inserted else { return }
        ready.push(sequence)
    }

    func isSettled(_ sequence: UInt64) -> Bool {
        sequence <= floor || settledAbove.contains(sequence)
    }

    /// Settles a message and lets the next message of its key go.
    mutating func settle(_ sequence: UInt64, effects: inout Effects) {
        guard !isSettled(sequence) else { return }
        settledAbove.insert(sequence)
        attempts.removeValue(forKey: sequence)
        delayed.removeValue(forKey: sequence)
        effects.settled.append(sequence)
        guard let messageKey = keyOf.removeValue(forKey: sequence) else { return }
        keyQueues[messageKey]?.removeFirst()
        if let next = keyQueues[messageKey]?.first {
            markReady(next)
        } else {
            keyQueues.removeValue(forKey: messageKey)
        }
    }

    /// Moves the floor over settled sequences; returns it when it moved.
    mutating func advanceFloor() -> UInt64? {
        let start = floor
        while settledAbove.remove(floor + 1) != nil {
            floor += 1
        }
        return floor == start ? nil : floor
    }
}
