import StratusEvents
import StratusTelemetry
import StratusTestSupport
import Synchronization
import Testing

/// The semantics every backend must keep, run against the embedded broker
/// (a `stratus controlplane` process) and NATS JetStream (`nats-server`).
@Suite(.serialized) struct EventBusSemanticsTests {
    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func groupReceivesPublishedMessages(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { _, bus in
            for index in 1...3 {
                let receipt = try await bus.publish("orders", payload: Array("m\(index)".utf8), headers: ["content-type": "text/plain"])
                #expect(receipt.topic == "orders")
                #expect(receipt.sequence == UInt64(index))
            }
            let (inbox, subscription) = try await collect(bus, "orders", group: "billing")
            let deliveries = try await inbox.wait(for: 3)
            #expect(deliveries.map(text) == ["m1", "m2", "m3"])
            #expect(deliveries.map(\.sequence) == [1, 2, 3])
            #expect(deliveries.allSatisfy { $0.deliveryCount == 1 && $0.headers["content-type"] == "text/plain" })
            subscription.cancel()
        }
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func everyGroupReceivesEveryMessage(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { _, bus in
            let (billing, first) = try await collect(bus, "orders", group: "billing")
            let (shipping, second) = try await collect(bus, "orders", group: "shipping")
            for index in 1...5 {
                try await bus.publish("orders", payload: Array("m\(index)".utf8))
            }
            #expect(try await billing.wait(for: 5).map(text).sorted() == ["m1", "m2", "m3", "m4", "m5"])
            #expect(try await shipping.wait(for: 5).map(text).sorted() == ["m1", "m2", "m3", "m4", "m5"])
            first.cancel()
            second.cancel()
        }
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func membersOfOneGroupShareMessages(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { _, bus in
            let all = Inbox<Delivery>()
            var subscriptions: [EventSubscription] = []
            for _ in 0..<2 {
                let (_, subscription) = try await collect(bus, "orders", group: "billing") { delivery in
                    all.append(delivery)
                    try await delivery.ack()
                }
                subscriptions.append(subscription)
            }
            for index in 1...20 {
                try await bus.publish("orders", payload: Array("m\(index)".utf8))
            }
            let deliveries = try await all.wait(for: 20)
            #expect(Set(deliveries.map(\.sequence)).count == 20)
            #expect(deliveries.count == 20, "a message went to two members: \(deliveries.map(\.sequence).sorted())")
            subscriptions.forEach { $0.cancel() }
        }
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func unackedMessageIsRedeliveredAfterAckTimeout(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { _, bus in
            try await bus.publish("orders", payload: Array("slow".utf8))
            var options = SubscriptionOptions.fast
            options.ackTimeout = .milliseconds(500)
            let (inbox, subscription) = try await collect(bus, "orders", group: "billing", options: options) { delivery in
                if delivery.deliveryCount > 1 {
                    try await delivery.ack()
                }
            }
            let deliveries = try await inbox.wait(for: 2)
            #expect(deliveries.map(\.sequence) == [1, 1])
            #expect(deliveries.map(\.deliveryCount) == [1, 2])
            subscription.cancel()
        }
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func nackedMessageMovesToDeadLetterTopic(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { _, bus in
            try await bus.publish("orders", payload: Array("poison".utf8), headers: ["origin": "test"], key: "order-9")
            try await bus.publish("orders", payload: Array("fine".utf8))
            var options = SubscriptionOptions.fast
            options.maxDeliveries = 3
            let (inbox, subscription) = try await collect(bus, "orders", group: "billing", options: options) { delivery in
                if text(delivery) == "poison" {
                    try await delivery.nack()
                } else {
                    try await delivery.ack()
                }
            }
            let (dead, deadSubscription) = try await collect(bus, EventNames.deadLetterTopic(of: "orders"), group: "operators")
            let letter = try #require(try await dead.wait(for: 1).first)
            #expect(text(letter) == "poison")
            #expect(letter.key == "order-9")
            #expect(letter.headers["origin"] == "test")
            #expect(letter.headers[EventHeaders.deadLetterTopic] == "orders")
            #expect(letter.headers[EventHeaders.deadLetterGroup] == "billing")
            #expect(letter.headers[EventHeaders.deadLetterSequence] == "1")
            #expect(letter.headers[EventHeaders.deadLetterDeliveries] == "3")
            #expect(letter.headers[EventHeaders.deadLetterReason]?.contains("max deliveries") == true)
            let poisoned = inbox.items.filter { text($0) == "poison" }
            #expect(poisoned.map(\.deliveryCount) == [1, 2, 3])
            subscription.cancel()
            deadSubscription.cancel()
        }
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func sameKeyIsDeliveredInOrderOneAtATime(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { _, bus in
            let keys = ["a", "b", "c"]
            for index in 0..<30 {
                try await bus.publish("orders", payload: Array("\(index)".utf8), key: keys[index % 3])
            }
            let holding = Mutex<Set<String>>([])
            let violations = Inbox<String>()
            let all = Inbox<Delivery>()
            var subscriptions: [EventSubscription] = []
            for _ in 0..<2 {
                let (_, subscription) = try await collect(bus, "orders", group: "billing") { delivery in
                    let key = delivery.key ?? "-"
                    if !holding.withLock({ $0.insert(key).inserted }) {
                        violations.append("key \(key) delivered while another of its messages was unacked (sequence \(delivery.sequence))")
                    }
                    all.append(delivery)
                    await Task.yield()
                    holding.withLock { _ = $0.remove(key) }
                    try await delivery.ack()
                }
                subscriptions.append(subscription)
            }
            let deliveries = try await all.wait(for: 30)
            #expect(violations.items.isEmpty, "\(violations.items)")
            for key in keys {
                let order = deliveries.filter { $0.key == key }.map { Int(text($0))! }
                #expect(order == order.sorted(), "key \(key) out of order: \(order)")
                #expect(order.count == 10)
            }
            subscriptions.forEach { $0.cancel() }
        }
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func slowMemberHoldsOnlyItsInFlightLimit(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { _, bus in
            for index in 1...10 {
                try await bus.publish("orders", payload: Array("m\(index)".utf8))
            }
            var slowOptions = SubscriptionOptions.fast
            slowOptions.maxInFlight = 2
            let (slow, slowSubscription) = try await collect(bus, "orders", group: "billing", options: slowOptions) { _ in }
            let held = try await slow.wait(for: 2, "deliveries to the slow member")
            let (fast, fastSubscription) = try await collect(bus, "orders", group: "billing")
            let rest = try await fast.wait(for: 8, "deliveries to the second member")
            #expect(Set(rest.map(\.sequence)).isDisjoint(with: held.map(\.sequence)))
            #expect(Set(rest.map(\.sequence)).union(held.map(\.sequence)) == Set(1...10))
            #expect(slow.items.count == 2)
            slowSubscription.cancel()
            fastSubscription.cancel()
        }
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func traceContextTravelsInHeaders(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { _, bus in
            var context = ServiceContext.topLevel
            let parent = SpanContext(traceID: .random(), spanID: .random())
            context.spanContext = parent
            _ = try await withServiceContext(context) {
                try await bus.publish("orders", payload: Array("traced".utf8))
            }
            let (inbox, subscription) = try await collect(bus, "orders", group: "billing")
            let delivery = try #require(try await inbox.wait(for: 1).first)
            // The producer span of a bootstrapped tracer is a child of
            // `parent`; without one the parent itself travels.
            let traceParent = try #require(delivery.headers["traceparent"])
            #expect(TraceParent.parse(traceParent)?.traceID == parent.traceID)
            #expect(delivery.traceContext.spanContext?.traceID == parent.traceID)
            subscription.cancel()
        }
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func invalidNamesAreRejected(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { _, bus in
            for topic in ["", "has space", "a..b", ".a", "a.", "star*", "a>b", String(repeating: "x", count: 201)] {
                let error = await #expect(throws: EventBusError.self) { try await bus.publish(topic, payload: []) }
                #expect(error?.code == .invalidArgument, "topic \(topic)")
            }
            for group in ["", "a.b", "a b", "a_b", String(repeating: "g", count: 65)] {
                let error = await #expect(throws: EventBusError.self) { try await bus.subscribe("orders", group: group) }
                #expect(error?.code == .invalidArgument, "group \(group)")
            }
            let header = await #expect(throws: EventBusError.self) { try await bus.publish("orders", payload: [], headers: ["Stratus-Key": "x"]) }
            #expect(header?.message.contains("reserves") == true)
            let key = await #expect(throws: EventBusError.self) { try await bus.publish("orders", payload: [], key: "") }
            #expect(key?.code == .invalidArgument)
            var options = SubscriptionOptions()
            options.maxDeliveries = 0
            let badOptions = await #expect(throws: EventBusError.self) { try await bus.subscribe("orders", group: "g", options: options) }
            #expect(badOptions?.message.contains("maxDeliveries") == true)
        }
    }
}
