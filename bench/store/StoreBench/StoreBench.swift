import Foundation
import StratusStore
import Synchronization

/// Measures a `KeyValueStore` with the workloads of bench/store/etcd-bench.go:
/// put throughput from 1 and from N clients, single-key range latency, watch
/// latency from put to event, and lease keep-alive throughput. Prints one
/// JSON object.
@main
struct StoreBench {
    struct Options {
        var store = "embedded"
        var path: String?
        var endpoints: [String] = []
        var clients = 16
        var duration: Duration = .seconds(5)
        var samples = 2000
        var valueBytes = 256
    }

    static func main() async throws {
        let options = try parse(Array(CommandLine.arguments.dropFirst()))
        let store = try makeStore(options)
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: options.valueBytes)
        var results: [String: Any] = [
            "store": options.store == "embedded" ? "stratus embedded (in-process)" : "etcd (StratusStore JSON gateway client)",
            "clients": options.clients,
            "value_bytes": options.valueBytes,
            "duration_s": Double(options.duration.components.seconds),
        ]
        results["put_1_per_s"] = try await putThroughput(store, clients: 1, duration: options.duration, value: value)
        results["put_n_per_s"] = try await putThroughput(store, clients: options.clients, duration: options.duration, value: value)
        let range = try await rangeLatency(store, samples: options.samples)
        results["range_p50_us"] = range.p50
        results["range_p99_us"] = range.p99
        let watch = try await watchLatency(store, samples: options.samples)
        results["watch_p50_us"] = watch.p50
        results["watch_p99_us"] = watch.p99
        results["keepalive_n_per_s"] = try await keepAliveThroughput(store, clients: options.clients, duration: options.duration)
        await store.close()
        let json = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    static func makeStore(_ options: Options) throws -> any KeyValueStore {
        switch options.store {
        case "embedded":
            return try EmbeddedStore(configuration: .init(path: options.path))
        case "etcd":
            return try EtcdStore(endpoints: options.endpoints)
        default:
            throw BenchError("unknown --store \(options.store): expected embedded or etcd")
        }
    }

    /// Runs `clients` loops of puts over 1,000 keys each for `duration`.
    static func putThroughput(_ store: any KeyValueStore, clients: Int, duration: Duration, value: [UInt8]) async throws -> Double {
        let deadline = ContinuousClock.now + duration
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        let key = Array("bench/put/\(client)/\(count % 1000)".utf8)
                        _ = try await store.put(PutRequest(key: key, value: value))
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / seconds(duration)
    }

    /// Reads one key `samples` times in a row.
    static func rangeLatency(_ store: any KeyValueStore, samples: Int) async throws -> (p50: Double, p99: Double) {
        try await store.put("bench/range", "value")
        var latencies: [Duration] = []
        latencies.reserveCapacity(samples)
        for _ in 0..<samples {
            let start = ContinuousClock.now
            _ = try await store.range(RangeRequest(.key("bench/range")))
            latencies.append(ContinuousClock.now - start)
        }
        return percentiles(latencies)
    }

    /// Puts `samples` keys one after another, each value carrying its start
    /// time, and measures until the watch delivers each.
    static func watchLatency(_ store: any KeyValueStore, samples: Int) async throws -> (p50: Double, p99: Double) {
        let base = ContinuousClock.now
        let current = try await store.range(RangeRequest(.prefix("bench/watch/")))
        let events = store.watch(prefix: "bench/watch/", from: current.revision + 1)
        let collector = Task {
            var latencies: [Duration] = []
            for try await event in events {
                let sent = Int64(event.keyValue.valueString) ?? 0
                latencies.append((ContinuousClock.now - base) - .nanoseconds(sent))
                if latencies.count == samples { break }
            }
            return latencies
        }
        for index in 0..<samples {
            let elapsed = ContinuousClock.now - base
            let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            try await store.put("bench/watch/\(index % 100)", "\(nanoseconds)")
        }
        return percentiles(try await collector.value)
    }

    /// Renews `clients` leases in parallel loops for `duration`.
    static func keepAliveThroughput(_ store: any KeyValueStore, clients: Int, duration: Duration) async throws -> Double {
        var leases: [LeaseID] = []
        for _ in 0..<clients {
            leases.append(try await store.grantLease(ttl: 60).id)
        }
        let deadline = ContinuousClock.now + duration
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for lease in leases {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        _ = try await store.keepAlive(lease)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / seconds(duration)
    }

    static func percentiles(_ latencies: [Duration]) -> (p50: Double, p99: Double) {
        let sorted = latencies.sorted()
        func microseconds(_ quantile: Double) -> Double {
            let value = sorted[Int(quantile * Double(sorted.count - 1))]
            return Double(value.components.seconds) * 1e6 + Double(value.components.attoseconds) / 1e12
        }
        return ((microseconds(0.50) * 10).rounded() / 10, (microseconds(0.99) * 10).rounded() / 10)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard let value = iterator.next() else { throw BenchError("missing value for \(name)") }
            switch name {
            case "--store": options.store = value
            case "--path": options.path = value
            case "--endpoints": options.endpoints = value.split(separator: ",").map(String.init)
            case "--clients": options.clients = try positive(value, name)
            case "--duration": options.duration = .seconds(try positive(value, name))
            case "--samples": options.samples = try positive(value, name)
            case "--value-bytes": options.valueBytes = try positive(value, name)
            default: throw BenchError("unknown option \(name)")
            }
        }
        return options
    }

    static func positive(_ value: String, _ name: String) throws -> Int {
        guard let number = Int(value), number > 0 else {
            throw BenchError("invalid \(name) \(value): expected a positive integer")
        }
        return number
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
