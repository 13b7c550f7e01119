import Foundation
import StratusEvents

/// A member of a consumer group for the event-bus process tests.
///
/// Usage: stratus-event-probe embedded|nats URL TOPIC GROUP ACK_TIMEOUT_MS hold|ack
///
/// Prints `subscribed`, then `received SEQUENCE DELIVERY_COUNT PAYLOAD` for
/// each delivery. With `hold` it never settles a delivery, so a test can
/// kill it with SIGKILL mid-message; with `ack` it acks each one and
/// prints `acked SEQUENCE`.
@main
struct EventProbe {
    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count == 7, let ackTimeout = Int64(arguments[5]) else {
            FileHandle.standardError.write(Data("usage: stratus-event-probe embedded|nats URL TOPIC GROUP ACK_TIMEOUT_MS hold|ack\n".utf8))
            exit(2)
        }
        let backend: EventBusConfiguration.Backend = arguments[1] == "nats" ? .nats(urls: [arguments[2]]) : .embedded(url: arguments[2])
        do {
            let bus = try EventBus(configuration: EventBusConfiguration(backend: backend))
            var options = SubscriptionOptions(ackTimeout: .milliseconds(ackTimeout), maxDeliveries: 10, maxInFlight: 1)
            options.fetchWait = .milliseconds(500)
            let subscription = try await bus.subscribe(arguments[3], group: arguments[4], options: options)
            emit("subscribed")
            for try await delivery in subscription {
                emit("received \(delivery.sequence) \(delivery.deliveryCount) \(String(decoding: delivery.payload, as: UTF8.self))")
                if arguments[6] == "ack" {
                    try await delivery.ack()
                    emit("acked \(delivery.sequence)")
                }
            }
        } catch {
            FileHandle.standardError.write(Data("stratus-event-probe: \(error)\n".utf8))
            exit(1)
        }
    }

    static func emit(_ line: String) {
        print(line)
        fflush(nil)
    }
}
