import Foundation
import StratusControlPlane
import StratusHTTP
import StratusTestSupport
import Synchronization
import Testing

/// A cluster-scope `rateLimit` shared by two `stratus gateway` processes
/// through one control plane's store.
@Suite(.serialized) struct ClusterRateLimitProcessTests {
    /// Sends GET `path` through `gateway` from `workers` tasks, each at
    /// `perWorker` requests per second, until `end` (wall-clock
    /// nanoseconds). Returns the wall-clock times of the 429 responses.
    static func offer(_ gateway: GatewayProcess, path: String, workers: Int, perWorker: Int, until end: UInt64) async throws -> [UInt64] {
        try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    let period = Duration.nanoseconds(1_000_000_000 / perWorker)
                    let clock = ContinuousClock()
                    var next = clock.now
                    var rejections: [UInt64] = []
                    while wallClockNanoseconds() < end {
                        let status = try await gateway.send(path).response.status.code
                        if status == 429 {
                            rejections.append(wallClockNanoseconds())
                        } else if status != 200 {
                            throw GatewayTestError(description: "unexpected status \(status): \(gateway.logTail())")
                        }
                        // Pace the load: the next request leaves one period after the previous one was due.
                        next = next.advanced(by: period)
                        if next > clock.now {
                            try await Task.sleep(until: next, clock: clock)
                        }
                    }
                    return rejections
                }
            }
            return try await group.reduce([], +)
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
        // Many workers keep the offer above the rate even when requests
        // are slow because other tests load the machine.
        async let firstRejected = Self.offer(first, path: "/first", workers: 16, perWorker: 3 * rate / 32, until: end)
        async let secondRejected = Self.offer(second, path: "/second", workers: 16, perWorker: 3 * rate / 32, until: end)
        let rejections = try await (firstRejected, secondRejected)
        first.stop()
        second.stop()

        // A window counts when the gateways rejected requests in it and were
        // offered at least twice the limit, because then every leased token
        // had a request waiting. A stalled machine offers less and proves nothing.
        let counts = upstream.countsPerWindow(window)
        let rejected = Dictionary(grouping: rejections.0 + rejections.1) { $0 / window }.mapValues(\.count)
        let counted = (1...windows).map { start / window + $0 }
        let admitted = counted.map { counts[$0] ?? 0 }
        let judged = counted.filter { window in
            let rejectedInWindow = rejected[window, default: 0]
            return rejectedInWindow > 0 && (counts[window] ?? 0) + rejectedInWindow >= 2 * rate
        }.map { counts[$0] ?? 0 }
        let total = judged.reduce(0, +)
        let expected = rate * judged.count
        print(
            "cluster rateLimit, two gateway processes, \(rate)/s offered about \(3 * rate)/s: admitted per window \(admitted), "
                + "rejected per window \(counted.map { rejected[$0, default: 0] }), judged \(judged.count) windows, total \(total) of \(expected)"
        )
        #expect(judged.count >= 2, "too few windows in which the gateways were offered more than the limit")
        // The mean per window is within 2 % of the rate. A single window may
        // fall short by the tokens a replica leased but did not spend in
        // time, which a loaded machine makes more likely, but none may
        // exceed it by more than 2 %.
        #expect(abs(total - expected) <= expected / 50, "admitted \(total) of \(expected)")
        for count in admitted {
            #expect(count <= rate + rate / 50, "a window admitted \(count) of \(rate)")
        }
        #expect(!rejections.0.isEmpty, "the first gateway was offered more than it could admit")
        #expect(!rejections.1.isEmpty, "the second gateway was offered more than it could admit")
        await controlPlane.shutdown()
        await upstream.stop()
    }
}
