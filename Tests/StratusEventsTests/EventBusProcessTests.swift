import Foundation
import Glibc
import StratusEvents
import StratusTestSupport
import Synchronization
import Testing

/// Crashes across process boundaries: a consumer killed mid-message, and
/// the broker killed with SIGKILL while publishers run, on both backends.
@Suite(.serialized) struct EventBusProcessTests {
    /// Reads a probe's output lines into an inbox.
    private func lines(of probe: ProbeProcess) -> Inbox<String> {
        let inbox = Inbox<String>()
        let reader = LineReader(probe.output)
        Task {
            while let line = await reader.nextLine() {
                inbox.append(line)
            }
        }
        return inbox
    }

    private func url(_ peer: EventBrokerPeer) -> String {
        peer.kind == .embedded ? "http://127.0.0.1:\(peer.port)" : "nats://127.0.0.1:\(peer.port)"
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func killedMembersMessageGoesToAnotherMember(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { peer, bus in
            try await bus.publish("jobs", payload: Array("job-1".utf8))
            let holder = try ProbeProcess("stratus-event-probe", [kind.rawValue, url(peer), "jobs", "workers", "1000", "hold"])
            let held = lines(of: holder)
            let received = try await held.wait(for: 2, "lines from the holding member")
            #expect(received == ["subscribed", "received 1 1 job-1"])

            holder.kill(SIGKILL)
            let worker = try ProbeProcess("stratus-event-probe", [kind.rawValue, url(peer), "jobs", "workers", "1000", "ack"])
            let output = try await lines(of: worker).wait(for: 3, "lines from the second member")
            #expect(output == ["subscribed", "received 1 2 job-1", "acked 1"])
            worker.kill(SIGKILL)
        }
    }

    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func publishedMessagesSurviveBrokerKill(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { peer, bus in
            let stored = Inbox<String>()
            // Four publishers run until the broker dies under them; every
            // publish that returned must be there after the restart.
            let publishers = (0..<4).map { publisher in
                Task {
                    for index in 0..<100_000 {
                        let payload = "p\(publisher)-\(index)"
                        do {
                            try await bus.publish("ledger", payload: Array(payload.utf8), key: "account-\(publisher)")
                        } catch {
                            return
                        }
                        stored.append(payload)
                    }
                }
            }
            try await stored.wait(for: 200, "publishes before the kill")
            await peer.kill()
            for publisher in publishers {
                await publisher.value
            }
            let acknowledged = Set(stored.items)
            try await peer.restart()

            try await bus.publish("ledger", payload: Array("after-restart".utf8))
            var options = SubscriptionOptions.fast
            options.maxInFlight = 256
            let (inbox, subscription) = try await collect(bus, "ledger", group: "auditors", options: options)
            let expected = acknowledged.union(["after-restart"])
            let received = try? await inbox.wait(within: .seconds(60), "every acknowledged publish") { items in
                expected.isSubset(of: Set(items.map(text)))
            }
            let payloads = Set((received ?? inbox.items).map(text))
            #expect(acknowledged.subtracting(payloads).isEmpty, "acknowledged publishes lost: \(acknowledged.subtracting(payloads).sorted().prefix(10))")
            #expect(payloads.contains("after-restart"))
            print("\(kind): \(acknowledged.count) publishes acknowledged before SIGKILL; \(payloads.count - 1) messages found after the restart")
            subscription.cancel()
        }
    }

    /// Unacked messages come back after a broker crash on both backends.
    /// The embedded broker's acks are synced before `ack()` returns, so
    /// acked messages never come back, and it counts the redelivery.
    /// nats-server 2.9 writes consumer state on its own schedule, so after
    /// SIGKILL it may deliver acked messages again, and deliver an unacked
    /// one with its delivery count started over at 1, which at-least-once
    /// allows.
    @Test(arguments: EventBrokerPeer.Kind.allCases)
    func unackedMessagesAreRedeliveredAfterRestart(kind: EventBrokerPeer.Kind) async throws {
        try await withBroker(kind) { peer, bus in
            for index in 1...10 {
                try await bus.publish("ledger", payload: Array("m\(index)".utf8))
            }
            var options = SubscriptionOptions.fast
            options.ackTimeout = .seconds(2)
            let (first, subscription) = try await collect(bus, "ledger", group: "auditors", options: options) { delivery in
                if delivery.sequence <= 5 {
                    try await delivery.ack()
                }
            }
            try await first.wait(for: 10)
            subscription.cancel()
            await peer.kill()
            try await peer.restart()

            let (second, again) = try await collect(bus, "ledger", group: "auditors", options: options)
            let redelivered = try await second.wait(within: .seconds(60), "messages 6 to 10") { items in
                Set(6...10).isSubset(of: Set(items.map(\.sequence)))
            }
            if kind == .embedded {
                #expect(redelivered.allSatisfy { $0.deliveryCount >= 2 })
                #expect(Set(redelivered.map(\.sequence)) == Set(6...10))
            }
            again.cancel()
        }
    }
}
