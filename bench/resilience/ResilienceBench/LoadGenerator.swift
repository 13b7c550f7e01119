import StratusHTTP
import StratusNet
import Synchronization

/// HTTP load against `GET URL`: open loop at a constant arrival rate, or
/// closed loop with a fixed number of requests in flight.
enum LoadGenerator {
    private struct Sample {
        /// Nanoseconds from the start of the run to the scheduled send.
        var scheduled: UInt64
        var latency: UInt64
        var status: Int
    }

    /// The samples that the request tasks append to.
    private final class SampleLog: Sendable {
        let samples = Mutex<[Sample]>([])
    }

    /// A count that the request tasks add to.
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Sends `rate` requests per second for `duration`, each at its
    /// scheduled time whether or not earlier ones got a response, and
    /// measures latency from that scheduled time. A late sender therefore
    /// counts its own lag, and a slow server cannot slow the arrivals
    /// (no coordinated omission, unlike closed-loop tools such as wrk).
    /// A success is a 200 within `timeout` of its scheduled time. The
    /// summary covers the requests scheduled after `warmUp`, and the whole
    /// run as well under `all_`.
    static func openLoop(_ options: BenchOptions) async throws -> [String: Any] {
        let client = try makeClient(options)
        let request = HTTPClientRequest(url: options.url)
        let log = SampleLog()
        let interval = 1e9 / options.rate
        let total = Int(options.rate * seconds(options.duration))
        precondition(options.warmUp < options.duration, "the warm-up must be shorter than the run")
        let start = MonotonicClock.now() + 50_000_000
        await withDiscardingTaskGroup { tasks in
            var next = 0
            while next < total {
                let now = MonotonicClock.now()
                while next < total, start + UInt64(Double(next) * interval) <= now {
                    let scheduled = start + UInt64(Double(next) * interval)
                    next += 1
                    tasks.addTask {
                        let status = await send(request, client: client, timeout: options.timeout)
                        let sample = Sample(scheduled: scheduled - start, latency: MonotonicClock.now() - scheduled, status: status)
                        log.samples.withLock { $0.append(sample) }
                    }
                }
                try? await Task.sleep(for: .microseconds(200))
            }
        }
        client.shutdown()
        let samples = log.samples.withLock { $0 }
        let warmUp = options.warmUp.nanoseconds
        var result = summarize(samples.filter { $0.scheduled >= warmUp }, options: options, seconds: seconds(options.duration - options.warmUp))
        for (key, value) in summarize(samples, options: options, seconds: seconds(options.duration)) {
            result["all_" + key] = value
        }
        result["rate_per_s"] = options.rate
        result["warm_up_s"] = seconds(options.warmUp)
        return result
    }

    /// Runs `concurrency` loops that each send a request as soon as the
    /// previous one got its response, for a warm-up second and then `duration`,
    /// and returns the 200 responses per second of the measured part.
    static func closedLoop(_ options: BenchOptions) async throws -> [String: Any] {
        let client = try makeClient(options)
        let request = HTTPClientRequest(url: options.url)
        let measuredFrom = MonotonicClock.now() + 1_000_000_000
        let end = measuredFrom + options.duration.nanoseconds
        let completed = Counter()
        await withDiscardingTaskGroup { loops in
            for _ in 0..<options.concurrency {
                loops.addTask {
                    while MonotonicClock.now() < end {
                        let status = await send(request, client: client, timeout: options.timeout)
                        if status == 200 && MonotonicClock.now() >= measuredFrom {
                            completed.value.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
        }
        client.shutdown()
        let throughput = Double(completed.value.load(ordering: .relaxed)) / seconds(options.duration)
        return ["concurrency": options.concurrency, "ok_per_s": throughput.rounded()]
    }

    private static func makeClient(_ options: BenchOptions) throws -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.maxConnectionsPerEndpoint = options.connections
        configuration.connectTimeout = options.timeout
        configuration.requestTimeout = options.timeout
        configuration.readTimeout = options.timeout
        configuration.poolWaitTimeout = options.timeout
        return HTTPClient(configuration: configuration, group: try EventLoopGroup(loopCount: 1))
    }

    /// Returns the response status, or 0 when the request failed.
    private static func send(_ request: HTTPClientRequest, client: HTTPClient, timeout: Duration) async -> Int {
        do {
            let (response, _) = try await client.execute(request, timeout: timeout, collectingUpTo: 4_096)
            return response.status.code
        } catch {
            return 0
        }
    }

    private static func summarize(_ samples: [Sample], options: BenchOptions, seconds: Double) -> [String: Any] {
        let timeout = options.timeout.nanoseconds
        let successes = samples.filter { $0.status == 200 && $0.latency <= timeout }.map(\.latency).sorted()
        let shed = samples.filter { $0.status == 503 }.count
        func percentile(_ percent: Double) -> Double {
            guard !successes.isEmpty else { return 0 }
            let rank = Int((percent / 100 * Double(successes.count)).rounded(.up)) - 1
            return Double(successes[max(0, rank)]) / 1e6
        }
        return [
            "duration_s": seconds,
            "sent": samples.count,
            "ok": successes.count,
            "shed_503": shed,
            "late_or_failed": samples.count - successes.count - shed,
            "goodput_per_s": (Double(successes.count) / seconds).rounded(),
            "p50_ms": percentile(50),
            "p99_ms": percentile(99),
            "max_ms": percentile(100),
        ]
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
