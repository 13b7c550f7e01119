import Foundation
import StratusEvents
import Synchronization

/// The load generator of bench/events: publish throughput from concurrent
/// publishers, and end-to-end latency from the start of a publish to the
/// delivery at a subscriber, against one broker.
///
/// Usage: stratus-events-bench embedded|nats URL PUBLISHERS SECONDS PAYLOAD_BYTES SAMPLES
///
/// Prints one JSON object: {"published", "seconds", "perSecond", "p50Ms", "p99Ms"}.
@main
struct EventsBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 7,
              let publishers = Int(arguments[3]), let seconds = Double(arguments[4]),
              let payloadSize = Int(arguments[5]), let samples = Int(arguments[6])
        else {
            FileHandle.standardError.write(Data("usage: stratus-events-bench embedded|nats URL PUBLISHERS SECONDS PAYLOAD_BYTES SAMPLES\n".utf8))
            exit(2)
        }
        let backend: EventBusConfiguration.Backend = arguments[1] == "nats" ? .nats(urls: [arguments[2]]) : .embedded(url: arguments[2])
        let bus = try EventBus(configuration: EventBusConfiguration(backend: backend))
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: payloadSize)
        // Creates the topic (the NATS stream) outside the measured time.
        try await bus.publish("bench.throughput", payload: payload)
        let (published, elapsed) = try await throughput(bus, publishers: publishers, seconds: seconds, payload: payload)
        let latencies = try await latency(bus, samples: samples, payload: payload)
        await bus.close()
        let result: [String: Any] = [
            "published": published,
            "seconds": elapsed,
            "perSecond": Double(published) / elapsed,
            "p50Ms": percentile(latencies, 0.50),
            "p99Ms": percentile(latencies, 0.99),
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }

    /// Runs `publishers` tasks that each publish and await, one message at
    /// a time, until `seconds` pass; returns the messages stored and the time.
    static func throughput(_ bus: EventBus, publishers: Int, seconds: Double, payload: [UInt8]) async throws -> (Int, Double) {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<publishers {
                group.addTask {
                    var published = 0
                    while ContinuousClock.now < deadline {
                        try await bus.publish("bench.throughput", payload: payload)
                        published += 1
                    }
                    return published
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - start
        return (count, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Publishes `samples` messages one after another, each after the last
    /// one arrived, and returns each one's time from publish start to
    /// delivery, in milliseconds.
    static func latency(_ bus: EventBus, samples: Int, payload: [UInt8]) async throws -> [Double] {
        var options = SubscriptionOptions(ackTimeout: .seconds(30), maxDeliveries: 5, maxInFlight: 64)
        options.fetchWait = .seconds(5)
        let subscription = try await bus.subscribe("bench.latency", group: "bench", options: options)
        var iterator = subscription.makeAsyncIterator()
        var latencies: [Double] = []
        for _ in 0..<samples {
            let start = ContinuousClock.now
            try await bus.publish("bench.latency", payload: payload)
            guard let delivery = try await iterator.next() else { break }
            let elapsed = ContinuousClock.now - start
            latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            try await delivery.ack()
        }
        subscription.cancel()
        return latencies
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
