import Foundation
import StratusConfig
import StratusTestSupport

/// The load generator of bench/config: `--clients` RemoteConfiguration
/// clients watch one namespace of a control plane, and `--publishes`
/// releases are published one after another. A sample is the time from
/// the start of the publish request until one client's change handler runs
/// with the new value. Between publishes the bench waits `--pause`, so that
/// the instances' reports of one release (sent up to 1 s after it applied)
/// do not overlap the next one. The results go to standard output as one
/// JSON object on the last line.
@main
struct ConfigBench {
    static let usage = """
        usage: stratus-config-bench --control-plane URL [--clients N] [--publishes N] [--pause MS]
          --control-plane URL   the control plane, such as http://127.0.0.1:7700
          --clients N           watching clients, each with its own watch stream (default 100)
          --publishes N         releases published one after another and measured (default 20)
          --pause MS            milliseconds between the last client applying a release and
                                the next publish (default 1500); 0 publishes back to back
        """

    static func main() async {
        do {
            let options = try BenchOptions(parsing: Array(CommandLine.arguments.dropFirst()))
            let results = try await PublishWorkload.run(options)
            let json = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
        } catch {
            FileHandle.standardError.write(Data("stratus-config-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}

struct BenchOptions {
    var controlPlane = ""
    var clients = 100
    var publishes = 20
    var pause: Duration = .milliseconds(1500)

    init(parsing arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard let value = iterator.next() else {
                throw BenchError("missing value for \(name)\n\n" + ConfigBench.usage)
            }
            switch name {
            case "--control-plane": controlPlane = value
            case "--clients": clients = try BenchError.positive(value, name)
            case "--publishes": publishes = try BenchError.positive(value, name)
            case "--pause": pause = .milliseconds(try Self.nonNegative(value, name))
            default: throw BenchError("unknown option \(name)\n\n" + ConfigBench.usage)
            }
        }
        guard !controlPlane.isEmpty else {
            throw BenchError("missing --control-plane URL, such as http://127.0.0.1:7700")
        }
    }

    static func nonNegative(_ value: String, _ name: String) throws -> Int {
        guard let number = Int(value), number >= 0 else {
            throw BenchError("invalid \(name) \(value): expected a whole number of 0 or more")
        }
        return number
    }

}
