import StratusEvents
import StratusTestSupport

/// Starts a broker of `kind`, runs `body` with it and a bus connected to
/// it, then closes the bus and stops the broker.
func withBroker(_ kind: EventBrokerPeer.Kind, _ body: (EventBrokerPeer, EventBus) async throws -> Void) async throws {
    let peer = try await EventBrokerPeer(kind)
    let bus = try peer.makeBus()
    do {
        try await body(peer, bus)
    } catch {
        await bus.close()
        print("\(kind) broker log:\n\(peer.logTail())")
        await peer.stop()
        throw error
    }
    await bus.close()
    await peer.stop()
}

/// Subscribes and collects every delivery in an inbox; `settle` runs for
/// each (by default an ack).
func collect(
    _ bus: EventBus, _ topic: String, group: String, options: SubscriptionOptions = .fast,
    settle: @escaping @Sendable (Delivery) async throws -> Void = { try await $0.ack() }
) async throws -> (Inbox<Delivery>, EventSubscription) {
    let inbox = Inbox<Delivery>()
    let subscription = try await bus.subscribe(topic, group: group, options: options)
    Task {
        for try await delivery in subscription {
            inbox.append(delivery)
            try await settle(delivery)
        }
    }
    return (inbox, subscription)
}

extension SubscriptionOptions {
    /// Short fetch waits so that subscriptions end soon after cancel.
    static var fast: SubscriptionOptions {
        var options = SubscriptionOptions(ackTimeout: .seconds(30), maxDeliveries: 5, maxInFlight: 16)
        options.fetchWait = .milliseconds(500)
        return options
    }
}

func text(_ delivery: Delivery) -> String {
    String(decoding: delivery.payload, as: UTF8.self)
}
