import Foundation
import StratusGatewayPolicies
import StratusLog
import StratusResilience
import StratusStore

/// One gateway replica's cluster-wide rate limiter in a process of its
/// own, which the limiter's tests start twice against one control plane.
///
/// It waits until `--start`, a window boundary in nanoseconds since the
/// Unix epoch. Then it sends `--offered` requests per second to the limiter,
/// evenly spaced, for `--windows` one-second windows, as clients of a
/// gateway replica would. At the end it prints one JSON line with what it
/// admitted and rejected in each window, by the time of each decision.
@main
struct RateLimitProbe {
    static func main() async throws {
        let options = parseOptions(Array(CommandLine.arguments.dropFirst()))
        guard let endpoint = options["endpoint"], let name = options["name"], let rate = options["rate"].flatMap(Double.init),
            let windows = options["windows"].flatMap(UInt64.init), let start = options["start"].flatMap(UInt64.init),
            let offered = options["offered"].flatMap(Double.init), offered > 0
        else {
            FileHandle.standardError.write(Data("usage: stratus-ratelimit-probe --endpoint URL --name NAME --rate R --offered R --windows N --start NANOSECONDS [--lease-timeout-ms MS]\n".utf8))
            exit(2)
        }

        let logger = Logger(label: "stratus.ratelimit-probe")
        let store = try EtcdStore(endpoints: [endpoint])
        let leaseTimeout = options["lease-timeout-ms"].flatMap(Int64.init).map { Duration.milliseconds($0) } ?? .milliseconds(250)
        let configuration = ClusterRateLimiter.Configuration(name: name, rate: rate, replicas: 2, leaseTimeout: leaseTimeout)
        let limiter = ClusterRateLimiter(configuration: configuration, store: store, logger: logger)
        let end = start + windows * 1_000_000_000

        var now = WallClock.system.now()
        if now < start {
            try await Task.sleep(for: .nanoseconds(Int64(start - now)))
        }

        // Requests follow a schedule, so a process that falls behind sends
        // the missed ones at once instead of offering less.
        let spacing = UInt64(1e9 / offered)
        var next = start
        var admitted = [Int](repeating: 0, count: Int(windows))
        var rejected = [Int](repeating: 0, count: Int(windows))
        while next < end {
            now = WallClock.system.now()
            if now < next {
                try await Task.sleep(for: .nanoseconds(Int64(next - now)))
            }
            let isAdmitted = await limiter.acquire().isAdmitted
            // A request decided after the last window used the next
            // window's tokens, so it does not count.
            let decided = WallClock.system.now()
            if decided >= start, decided < end {
                let window = Int((decided - start) / 1_000_000_000)
                if isAdmitted {
                    admitted[window] += 1
                } else {
                    rejected[window] += 1
                }
            }
            next += spacing
        }

        let statistics = limiter.statistics
        print(
            "{\"admitted\":\(admitted),\"rejected\":\(rejected),\"transactions\":\(statistics.transactions),"
                + "\"conflicts\":\(statistics.conflicts),\"failedLeases\":\(statistics.failedLeases)}"
        )
        await store.close()
    }

    private static func parseOptions(_ arguments: [String]) -> [String: String] {
        var options: [String: String] = [:]
        var iterator = arguments.makeIterator()
        while let name = iterator.next(), let value = iterator.next() {
            options[String(name.drop { $0 == "-" })] = value
        }
        return options
    }
}
