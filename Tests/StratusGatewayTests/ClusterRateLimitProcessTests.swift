import Foundation
import StratusControlPlane
import StratusHTTP
import Synchronization
import Testing

/// A cluster-scope `rateLimit` shared by two `stratus gateway` processes
/// through one control plane's store.
@Suite(.serialized) struct ClusterRateLimitProcessTests {
    /// Sends GET `path` through `gateway` from `workers` tasks, each at
    /// `perWorker` requests per second, until `end` (wall-clock
    /// nanoseconds). Returns the number of 429 responses.
    static func offer(_ gateway: GatewayProcess, path: String, workers: Int, perWorker: Int, until end: UInt64) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    let period = Duration.nanoseconds(1_000_000_000 / perWorker)
                    let clock = ContinuousClock()
                    var next = clock.now
                    var rejected = 0
                    while wallClockNanoseconds() < end {
                        let status = try await gateway.send(path).response.status.code
                        if status == 429 {
                            rejected += 1
                        } else if status != 200 {
                            throw GatewayTestError(description: "unexpected status \(status): \(gateway.logTail())")
                        }
                        // Pace the load: the next request leaves one period after the previous one was due.
                        next = next.advanced(by: period)
                        if next > clock.now {
                            try await Task.sleep(until: next, clock: clock)
                        }
                    }
                    return rejected
                }
            }
            return try await group.reduce(0, +)
        }
    }

    static func wallClockNanoseconds() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1e9)
    }

    @Test func twoGatewaysShareOneClusterLimit() async throws {
        let rate = 200
        let windows: UInt64 = 5
        let window: UInt64 = 1_000_000_000
        let upstream = try await ArrivalRecorder.start()
        let (controlPlane, controlPlaneURL) = try await startTestControlPlane()
        let yaml = """
            settings:
              accessLog: false
              controlPlane: ["\(controlPlaneURL)"]
            upstreams:
              - name: counter
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: shared
                match: {prefix: /}
                upstream: counter
                plugins:
                  # Other tests load the machine; a slow lease must not
                  # make a replica fall back to its local share.
                  rateLimit: {rate: \(rate), window: 1s, scope: cluster, replicas: 2, leaseTimeout: 2s}
            """
        let first = try await GatewayProcess(yaml: yaml)
        let second = try await GatewayProcess(yaml: yaml)

        // Offer 3 × rate in total, from the next window boundary on, for
        // one window of warm-up, the counted windows and one more.
        let start = (Self.wallClockNanoseconds() / window + 1) * window
        let end = start + (windows + 2) * window
        try await Task.sleep(for: .nanoseconds(max(0, Int64(start) - Int64(Self.wallClockNanoseconds()))))
        async let firstRejected = Self.offer(first, path: "/first", workers: 6, perWorker: rate / 4, until: end)
        async let secondRejected = Self.offer(second, path: "/second", workers: 6, perWorker: rate / 4, until: end)
        let rejected = try await (firstRejected, secondRejected)
        first.stop()
        second.stop()

        let counts = upstream.countsPerWindow(window)
        let counted = (1...windows).map { start / window + $0 }
        let admitted = counted.map { counts[$0] ?? 0 }
        let total = admitted.reduce(0, +)
        let expected = rate * Int(windows)
        print("cluster rateLimit, two gateway processes, \(rate)/s offered about \(3 * rate)/s: admitted per window \(admitted), total \(total) of \(expected); rejected \(rejected.0) and \(rejected.1)")
        for (index, count) in admitted.enumerated() {
            #expect(abs(count - rate) <= rate / 50, "window \(index + 1) admitted \(count) of \(rate)")
        }
        #expect(abs(total - expected) <= expected / 50, "admitted \(total) of \(expected)")
        #expect(rejected.0 > 0, "the first gateway was offered more than it could admit")
        #expect(rejected.1 > 0, "the second gateway was offered more than it could admit")
        await controlPlane.shutdown()
        await upstream.stop()
    }
}
