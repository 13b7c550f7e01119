import Foundation
import StratusDiscovery
import StratusHTTP
import StratusKit
import Synchronization

/// Open-loop load at a fixed rate: a request every 1/rate seconds, however
/// slow the responses, each recorded with its start time, latency and outcome.
final class LoadRecorder: Sendable {
    struct Sample: Sendable {
        var start: ContinuousClock.Instant
        var latency: Duration
        var succeeded: Bool
        /// Whether greeter-api returned its English fallback because
        /// greeter-names was unreachable.
        var degraded: Bool
    }

    enum Target: Sendable {
        case gateway(String)
        case serviceClient(ServiceClient)
    }

    private let target: Target
    private let path: String
    private let http: HTTPClient
    private let samples = Mutex<[Sample]>([])
    private let failures = Mutex<[String]>([])
    private let running = Atomic<Bool>(true)

    init(target: Target, path: String) {
        self.target = target
        self.path = path
        var configuration = HTTPClientConfiguration()
        configuration.requestTimeout = .seconds(5)
        http = HTTPClient(configuration: configuration)
    }

    /// Sends `rate` requests per second until `stop()`, at most 256 in flight.
    func run(rate: Int) async {
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        var next = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            while running.load(ordering: .relaxed) {
                next += interval
                try? await Task.sleep(until: next, clock: .continuous)
                if inFlight >= 256 {
                    await group.next()
                    inFlight -= 1
                }
                inFlight += 1
                group.addTask { await self.send() }
            }
        }
    }

    func stop() {
        running.store(false, ordering: .relaxed)
    }

    private func send() async {
        let start = ContinuousClock.now
        var succeeded = false
        var degraded = false
        do {
            let body: [UInt8]
            switch target {
            case .gateway(let base):
                let (response, bytes) = try await http.execute(HTTPClientRequest(url: base + path), collectingUpTo: 1 << 16)
                succeeded = response.status.code == 200
                body = bytes
                if !succeeded { note("status \(response.status.code)") }
            case .serviceClient(let client):
                let response = try await client.send(ServiceRequest(path: path))
                succeeded = response.isSuccess
                body = response.body
                if !succeeded { note("status \(response.status.code)") }
            }
            degraded = String(decoding: body, as: UTF8.self).contains("\"degraded\":true")
        } catch {
            note("\(error)")
        }
        let sample = Sample(start: start, latency: ContinuousClock.now - start, succeeded: succeeded, degraded: degraded)
        samples.withLock { $0.append(sample) }
    }

    private func note(_ failure: String) {
        failures.withLock { if $0.count < 5 { $0.append(failure) } }
    }

    /// Returns the samples whose request started within one of `windows`.
    func samples(in windows: [Range<ContinuousClock.Instant>]) -> [Sample] {
        samples.withLock { all in all.filter { sample in windows.contains { $0.contains(sample.start) } } }
    }

    var firstFailures: [String] { failures.withLock { $0 } }

    func shutdown() {
        http.shutdown()
    }
}

/// Latency percentiles and counts of a set of samples.
struct LoadSummary: CustomStringConvertible {
    var requests: Int
    var failed: Int
    var degraded: Int
    var p50: Double
    var p99: Double
    var maximum: Double

    init(_ samples: [LoadRecorder.Sample]) {
        requests = samples.count
        failed = samples.filter { !$0.succeeded }.count
        degraded = samples.filter(\.degraded).count
        let latencies = samples.map { Self.milliseconds($0.latency) }.sorted()
        p50 = Self.percentile(latencies, 0.50)
        p99 = Self.percentile(latencies, 0.99)
        maximum = latencies.last ?? 0
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// Returns the nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    var description: String {
        String(format: "%d requests, %d failed, %d degraded, p50 %.2f ms, p99 %.2f ms, max %.2f ms", requests, failed, degraded, p50, p99, maximum)
    }
}
