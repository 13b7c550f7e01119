import Foundation
import StratusTestSupport

/// The load generator of bench/registry: runs one workload against one
/// control plane's registry API and prints the results as one JSON object
/// on the last line of standard output.
///
/// Workloads:
///
///   eviction     kill -9 of an instance process until a watcher reports it gone
///   throughput   registrations with a heartbeat each, and heartbeats alone
///   fanout       a change until each of many watch streams delivers it
///   memory       control-plane RSS before and after registering many instances
@main
struct RegistryBench {
    static func main() async {
        do {
            let options = try BenchOptions(parsing: Array(CommandLine.arguments.dropFirst()))
            let results: [String: Any]
            switch options.workload {
            case "eviction":
                results = try await EvictionWorkload.run(options)
            case "throughput":
                results = try await ThroughputWorkload.run(options)
            case "fanout":
                results = try await FanOutWorkload.run(options)
            case "memory":
                results = try await MemoryWorkload.run(options)
            default:
                throw BenchError("unknown workload \(options.workload): expected eviction, throughput, fanout or memory\n\n" + BenchOptions.usage)
            }
            let json = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
        } catch {
            FileHandle.standardError.write(Data("stratus-registry-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}

struct BenchOptions {
    static let usage = """
        usage: stratus-registry-bench WORKLOAD --control-plane URL [options]
          WORKLOAD               eviction, throughput, fanout or memory
          --control-plane URL    the control plane, such as http://127.0.0.1:7700
          --runs N               eviction: instances killed one after another (default 20)
          --ttl SECONDS          eviction and throughput: the registration TTL (default 3)
          --probe-log FILE       eviction: file the instance processes' standard error is
                                 appended to (default /dev/null)
          --clients N            throughput and memory: concurrent clients (default 16)
          --duration SECONDS     throughput: length of each phase (default 5)
          --watchers N           fanout: watch streams of the service (default 1000)
          --changes N            fanout: changes made one after another (default 10)
          --instances N          memory: instances to register (default 10000)
          --services N           memory: services the instances are spread over (default 100)
          --pid PID              memory: the control-plane process to read VmRSS of
          --store-pid PID        memory: a store process (etcd) to read VmRSS of as well
        """

    var workload = ""
    var controlPlane = ""
    var runs = 20
    var ttl: Int64 = 3
    var probeLog = "/dev/null"
    var clients = 16
    var duration: Duration = .seconds(5)
    var watchers = 1000
    var changes = 10
    var instances = 10_000
    var services = 100
    var pid: Int?
    var storePid: Int?

    init(parsing arguments: [String]) throws {
        guard let workload = arguments.first, !workload.hasPrefix("-") else {
            throw BenchError("missing workload\n\n" + Self.usage)
        }
        self.workload = workload
        var iterator = arguments.dropFirst().makeIterator()
        while let name = iterator.next() {
            guard let value = iterator.next() else {
                throw BenchError("missing value for \(name)")
            }
            switch name {
            case "--control-plane": controlPlane = value
            case "--runs": runs = try BenchError.positive(value, name)
            case "--ttl": ttl = Int64(try BenchError.positive(value, name))
            case "--probe-log": probeLog = value
            case "--clients": clients = try BenchError.positive(value, name)
            case "--duration": duration = .seconds(try BenchError.positive(value, name))
            case "--watchers": watchers = try BenchError.positive(value, name)
            case "--changes": changes = try BenchError.positive(value, name)
            case "--instances": instances = try BenchError.positive(value, name)
            case "--services": services = try BenchError.positive(value, name)
            case "--pid": pid = try BenchError.positive(value, name)
            case "--store-pid": storePid = try BenchError.positive(value, name)
            default: throw BenchError("unknown option \(name)\n\n" + Self.usage)
            }
        }
        guard !controlPlane.isEmpty else {
            throw BenchError("missing --control-plane URL, such as http://127.0.0.1:7700")
        }
    }
}
