import Foundation

/// The benchmark of bench/resilience: the cost of each policy decision, and
/// an HTTP service under three times its capacity with and without load
/// shedding. Prints its result as one JSON object on the last line of
/// standard output (`serve` prints its port and runs until killed).
@main
struct ResilienceBench {
    static func main() async {
        do {
            let options = try BenchOptions(parsing: Array(CommandLine.arguments.dropFirst()))
            let result: Any
            switch options.command {
            case "decisions":
                result = try DecisionBench.run(iterations: options.iterations)
            case "serve":
                try await OverloadServer.run(options)
                return
            case "open-loop":
                result = try await LoadGenerator.openLoop(options)
            case "closed-loop":
                result = try await LoadGenerator.closedLoop(options)
            default:
                throw BenchError("unknown command \(options.command): expected decisions, serve, open-loop or closed-loop\n\n" + BenchOptions.usage)
            }
            let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
        } catch {
            FileHandle.standardError.write(Data("stratus-resilience-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

struct BenchOptions {
    static let usage = """
        usage: stratus-resilience-bench COMMAND [options]
          decisions              ns and allocations per policy decision, 1 and 2 threads
            --iterations N       decisions per thread and case (default 5000000)
          serve                  the overloadable service on 127.0.0.1
            --port N             port to listen on (default 0, printed)
            --workers N          worker threads (default 4)
            --work-us N          CPU microseconds per request (default 1000)
            --shedding on|off    enforce load shedding, or only count it (default on)
          open-loop              constant-rate load on GET URL
            --url URL            such as http://127.0.0.1:8080/work
            --rate N             requests per second
            --duration SECONDS   default 10
            --warm-up SECONDS    sent but left out of the summary (default 0)
            --timeout SECONDS    a later response is a failure (default 2)
            --connections N      most connections (default 1000)
          closed-loop            maximum throughput of GET URL
            --url URL
            --concurrency N      requests in flight (default 32)
            --duration SECONDS   measured time after 1 s of warm-up (default 5)
        """

    var command = ""
    var iterations = 5_000_000
    var port = 0
    var workers = 4
    var work: Duration = .microseconds(1_000)
    var shedding = true
    var url = ""
    var rate = 0.0
    var duration: Duration = .seconds(10)
    var warmUp: Duration = .zero
    var timeout: Duration = .seconds(2)
    var connections = 1_000
    var concurrency = 32

    init(parsing arguments: [String]) throws {
        guard let command = arguments.first, !command.hasPrefix("-") else {
            throw BenchError("missing command\n\n" + Self.usage)
        }
        self.command = command
        var iterator = arguments.dropFirst().makeIterator()
        while let name = iterator.next() {
            guard let value = iterator.next() else {
                throw BenchError("missing value for \(name)")
            }
            try set(name, value)
        }
    }

    private mutating func set(_ name: String, _ value: String) throws {
        func number() throws -> Double {
            guard let number = Double(value), number > 0 else {
                throw BenchError("invalid value \(value) for \(name): expected a positive number")
            }
            return number
        }
        switch name {
        case "--iterations": iterations = Int(try number())
        case "--port": port = Int(value) ?? -1
        case "--workers": workers = Int(try number())
        case "--work-us": work = .microseconds(Int64(try number()))
        case "--shedding": shedding = value == "on"
        case "--url": url = value
        case "--rate": rate = try number()
        case "--duration": duration = .milliseconds(Int64(try number() * 1000))
        case "--warm-up": warmUp = .milliseconds(Int64((Double(value) ?? -1) * 1000))
        case "--timeout": timeout = .milliseconds(Int64(try number() * 1000))
        case "--connections": connections = Int(try number())
        case "--concurrency": concurrency = Int(try number())
        default: throw BenchError("unknown option \(name)\n\n" + Self.usage)
        }
    }
}
