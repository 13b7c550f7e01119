@testable import StratusControlPlane
import Testing

/// The delivery state machine of one consumer group, driven without a
/// broker: times are nanoseconds chosen by the test.
@Suite struct GroupDispatchTests {
    /// Keys of messages 1... of a topic; nil entries have no key.
    private struct Topic {
        var keys: [String?]
        var removedThrough: UInt64 = 0

        func lookup(_ sequence: UInt64) -> String?? {
            guard sequence > removedThrough, sequence >= 1, Int(sequence) <= keys.count else { return nil }
            return .some(keys[Int(sequence) - 1])
        }

        var last: UInt64 { UInt64(keys.count) }
    }

    private let settings = GroupDispatch.Settings(ackTimeoutNanoseconds: 1_000, maxDeliveries: 3)

    private func take(_ dispatch: inout GroupDispatch, _ topic: Topic, max: Int = 10, consumer: String = "a", limit: Int = 100, at now: UInt64 = 0) -> GroupDispatch.Effects {
        dispatch.take(maxMessages: max, consumer: consumer, consumerLimit: limit, now: now, lastSequence: topic.last) { topic.lookup($0) }
    }

    @Test func deliversOldestFirstUpToMax() {
        var dispatch = GroupDispatch(settings: settings)
        let topic = Topic(keys: [nil, nil, nil, nil])
        #expect(take(&dispatch, topic, max: 3).delivered.map(\.sequence) == [1, 2, 3])
        #expect(take(&dispatch, topic, max: 3).delivered.map(\.sequence) == [4])
        #expect(take(&dispatch, topic).delivered.isEmpty)
    }

    @Test func sameKeyWaitsForAck() {
        var dispatch = GroupDispatch(settings: settings)
        let topic = Topic(keys: ["k", "k", "j", "k"])
        #expect(take(&dispatch, topic).delivered.map(\.sequence) == [1, 3])
        #expect(dispatch.ack(1).0 == .settled)
        #expect(take(&dispatch, topic).delivered.map(\.sequence) == [2])
        #expect(dispatch.ack(2).0 == .settled)
        #expect(take(&dispatch, topic).delivered.map(\.sequence) == [4])
    }

    @Test func nackedKeyKeepsItsPlace() {
        var dispatch = GroupDispatch(settings: settings)
        let topic = Topic(keys: ["k", "k"])
        _ = take(&dispatch, topic)
        #expect(dispatch.nack(1, delay: 0, now: 0).0 == .redeliver)
        let again = take(&dispatch, topic).delivered
        #expect(again.map(\.sequence) == [1])
        #expect(again.map(\.deliveryCount) == [2])
    }

    @Test func expiredDeliveryIsRedeliveredToAnyMember() {
        var dispatch = GroupDispatch(settings: settings)
        let topic = Topic(keys: [nil])
        _ = take(&dispatch, topic, consumer: "a", at: 0)
        #expect(take(&dispatch, topic, consumer: "b", at: 999).delivered.isEmpty)
        let redelivered = take(&dispatch, topic, consumer: "b", at: 1_000).delivered
        #expect(redelivered.map(\.sequence) == [1])
        #expect(redelivered.map(\.deliveryCount) == [2])
        #expect(dispatch.inFlight[1]?.consumer == "b")
        #expect(dispatch.inFlightByConsumer["a"] == nil)
    }

    @Test func lastDeliveryDeadLettersAndUnblocksKey() {
        var dispatch = GroupDispatch(settings: settings)
        let topic = Topic(keys: ["k", "k"])
        for attempt in 1...2 {
            #expect(take(&dispatch, topic).delivered.map(\.deliveryCount) == [attempt])
            #expect(dispatch.nack(1, delay: 0, now: 0).0 == .redeliver)
        }
        #expect(take(&dispatch, topic).delivered.map(\.deliveryCount) == [3])
        let (result, effects) = dispatch.nack(1, delay: 0, now: 0)
        #expect(result == .deadLettered(deliveries: 3))
        #expect(effects.deadLettered.map(\.sequence) == [1])
        #expect(effects.floor == 1)
        #expect(take(&dispatch, topic).delivered.map(\.sequence) == [2])
    }

    @Test func expiryOfLastDeliveryDeadLetters() {
        var dispatch = GroupDispatch(settings: GroupDispatch.Settings(ackTimeoutNanoseconds: 10, maxDeliveries: 1))
        let topic = Topic(keys: [nil])
        _ = take(&dispatch, topic, at: 0)
        let effects = take(&dispatch, topic, at: 10)
        #expect(effects.deadLettered.map(\.sequence) == [1])
        #expect(effects.delivered.isEmpty)
        #expect(dispatch.floor == 1)
    }

    @Test func nackDelayHoldsMessageBack() {
        var dispatch = GroupDispatch(settings: settings)
        let topic = Topic(keys: [nil])
        _ = take(&dispatch, topic, at: 0)
        _ = dispatch.nack(1, delay: 500, now: 100)
        #expect(dispatch.nextDeadline == 600)
        #expect(take(&dispatch, topic, at: 599).delivered.isEmpty)
        #expect(take(&dispatch, topic, at: 600).delivered.map(\.sequence) == [1])
    }

    @Test func consumerLimitBoundsInFlight() {
        var dispatch = GroupDispatch(settings: settings)
        let topic = Topic(keys: [nil, nil, nil])
        #expect(take(&dispatch, topic, consumer: "slow", limit: 2).delivered.count == 2)
        #expect(take(&dispatch, topic, consumer: "slow", limit: 2).delivered.isEmpty)
        #expect(take(&dispatch, topic, consumer: "fast", limit: 2).delivered.map(\.sequence) == [3])
    }

    @Test func floorMovesOverSettledRuns() {
        var dispatch = GroupDispatch(settings: settings)
        let topic = Topic(keys: [nil, nil, nil])
        _ = take(&dispatch, topic)
        #expect(dispatch.ack(2).1.floor == nil)
        #expect(dispatch.ack(1).1.floor == 2)
        #expect(dispatch.ack(3).1.floor == 3)
        #expect(dispatch.ack(3).0 == .alreadySettled)
    }

    @Test func settleOfUndeliveredMessageIsRejected() {
        var dispatch = GroupDispatch(settings: settings)
        let topic = Topic(keys: [nil, nil])
        _ = take(&dispatch, topic, max: 1)
        #expect(dispatch.ack(2).0 == .notDelivered)
        #expect(dispatch.nack(2, delay: 0, now: 0).0 == .notDelivered)
        _ = dispatch.nack(1, delay: 0, now: 0)
        #expect(dispatch.nack(1, delay: 0, now: 0).0 == .notInFlight)
        #expect(dispatch.ack(1).0 == .settled)
    }

    @Test func restoredGroupSkipsSettledAndKeepsCounts() {
        var dispatch = GroupDispatch(settings: settings, floor: 1, settledAbove: [3], attempts: [2: 2])
        let topic = Topic(keys: [nil, nil, nil, nil])
        let delivered = take(&dispatch, topic).delivered
        #expect(delivered.map(\.sequence) == [2, 4])
        #expect(delivered.map(\.deliveryCount) == [3, 1])
    }

    @Test func removedMessagesAreSkipped() {
        var dispatch = GroupDispatch(settings: settings)
        var topic = Topic(keys: ["k", "k", nil, nil])
        _ = take(&dispatch, topic, max: 1)
        topic.removedThrough = 2
        let effects = dispatch.dropRemoved(before: 3)
        #expect(effects.floor == 2)
        #expect(dispatch.inFlight.isEmpty)
        #expect(take(&dispatch, topic).delivered.map(\.sequence) == [3, 4])
    }
}
