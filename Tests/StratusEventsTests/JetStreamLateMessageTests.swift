import Foundation
import Glibc
import StratusEvents
import StratusTestSupport
import Testing

/// A server race that nats-server cannot be made to show on demand: a
/// pulled message that arrives just after its pull's 408 Request Timeout.
@Suite struct JetStreamLateMessageTests {
    @Test func messageAfterExpiredPullDelivered() async throws {
        let server = try ScriptedServer { connection, _ in
            LateMessageServer.serve(connection)
        }
        defer { server.stop() }
        var configuration = EventBusConfiguration(backend: .nats(urls: ["nats://127.0.0.1:\(server.port)"]))
        configuration.requestTimeout = .seconds(5)
        let bus = try EventBus(configuration: configuration)
        let (inbox, subscription) = try await collect(bus, "orders", group: "billing")
        let deliveries = try await inbox.wait(for: 1)
        #expect(deliveries.map(text) == ["late"])
        #expect(deliveries.map(\.sequence) == [7])
        subscription.cancel()
        await bus.close()
    }
}

/// Speaks just enough of the NATS protocol and the JetStream API for one
/// subscriber: it accepts every stream and consumer, and replies to the
/// first pull of the unkeyed consumer with a 408 and then one message.
private enum LateMessageServer {
    static func serve(_ connection: Int32) {
        ScriptedServer.send(connection, #"INFO {"server_id":"late","version":"2.9.10","headers":true,"max_payload":1048576}"# + "\r\n")
        var subscriptions: [String: String] = [:]
        var answeredPull = false
        while let line = ScriptedServer.readLine(connection) {
            let fields = line.split(separator: " ").map(String.init)
            switch fields.first {
            case "PING":
                ScriptedServer.send(connection, "PONG\r\n")
            case "SUB" where fields.count == 3:
                subscriptions[fields[1]] = fields[2]
            case "PUB", "HPUB":
                // PUB subject [reply] size, HPUB subject [reply] header-size size
                let size = Int(fields.last ?? "") ?? 0
                guard ScriptedServer.readBytes(connection, count: size + 2) != nil else { return }
                let hasReply = fields.count == (fields[0] == "PUB" ? 4 : 5)
                guard hasReply else { continue }
                let (subject, reply) = (fields[1], fields[2])
                if subject.hasPrefix("$JS.API.CONSUMER.MSG.NEXT."), subject.hasSuffix("_u"), !answeredPull {
                    answeredPull = true
                    let sid = subscriptions[reply] ?? "0"
                    let status = "NATS/1.0 408 Request Timeout\r\n\r\n"
                    ScriptedServer.send(connection, "HMSG \(reply) \(sid) \(status.utf8.count) \(status.utf8.count)\r\n\(status)\r\n")
                    let ack = "$JS.ACK.EVENTS_orders.billing_u.1.7.1.1733390000000000000.0"
                    ScriptedServer.send(connection, "MSG stratus.events.orders.u \(sid) \(ack) 4\r\nlate\r\n")
                } else if subject.hasPrefix("$JS.API.") || subject.hasPrefix("$JS.ACK.") {
                    // Replies to requests go to the client's inbox subscription, id 1.
                    let body = subject.hasPrefix("$JS.ACK.") ? "" : "{}"
                    ScriptedServer.send(connection, "MSG \(reply) 1 \(body.utf8.count)\r\n\(body)\r\n")
                }
            default:
                continue
            }
        }
    }
}
