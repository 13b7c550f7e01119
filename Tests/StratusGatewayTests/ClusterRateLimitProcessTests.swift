import Foundation
import StratusControlPlane
import StratusHTTP
import StratusTestSupport
import Synchronization
import Testing

/// A cluster-scope `rateLimit` shared by two `stratus gateway` processes
/// through one control plane's store.
@Suite(.serialized) struct ClusterRateLimitProcessTests {
    /// The end of an offered load, which the test may move, and the 429
    /// responses received so far.
    final class Offer: Sendable {
        /// Wall-clock nanoseconds at which the workers stop.
        let end: Atomic<UInt64>
        /// Wall-clock nanoseconds of each 429 response, by request path.
        let rejections = Mutex<[String: [UInt64]]>([:])

        /// Returns the number of 429 responses in each window, by window index.
        func rejectedPerWindow(_ window: UInt64) -> [UInt64: Int] {
            rejections.withLock { rejections in
                Dictionary(grouping: rejections.values.joined()) { $0 / window }.mapValues(\.count)
            }
        }

        init(end: UInt64) {
            self.end = Atomic(end)
        }
    }

    /// Sends GET `path` through `gateway` from `workers` tasks, each at
    /// `perWorker` requests per second, until the wall clock passes the
    /// offer's end. Records the time of each 429 in the offer.
    static func offer(_ gateway: GatewayProcess, path: String, workers: Int, perWorker: Int, in offer: Offer) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    let period = Duration.nanoseconds(1_000_000_000 / perWorker)
                    let clock = ContinuousClock()
                    var next = clock.now
                    while wallClockNanoseconds() < offer.end.load(ordering: .relaxed) {
                        let status = try await gateway.send(path).response.status.code
                        if status == 429 {
                            let now = wallClockNanoseconds()
                            offer.rejections.withLock { $0[path, default: []].append(now) }
                        } else if status != 200 {
                            throw GatewayTestError(description: "unexpected status \(status): \(gateway.logTail())")
                        }
                        // Pace the load: the next request leaves one period after the previous one was due.
                        next = next.advanced(by: period)
                        if next > clock.now {
                            try await Task.sleep(until: next, clock: clock)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    static func wallClockNanoseconds() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1e9)
    }

    /// Returns the windows among `windows` that the gateways rejected
    /// requests in and were offered at least `2 × rate`, because then every
    /// leased token had a request waiting. A stalled machine offers less,
    /// and such a window proves nothing about how many tokens reach clients.
    static func judgedWindows(_ windows: [UInt64], admitted: [UInt64: Int], rejected: [UInt64: Int], rate: Int) -> [UInt64] {
        windows.filter { window in
            let rejectedInWindow = rejected[window, default: 0]
            return rejectedInWindow > 0 && admitted[window, default: 0] + rejectedInWindow >= 2 * rate
        }
    }

    @Test func twoGatewaysShareOneClusterLimit() async throws {
        let rate = 200
        let window: UInt64 = 1_000_000_000
        // Other tests load the machine and may stall the load for whole
        // windows, so the offer goes on until enough windows can be judged.
        let requiredWindows = 3
        let maximumWindows: UInt64 = 20
        let upstream = try await ArrivalRecorder.start()
        let (controlPlane, controlPlaneURL) = try await startMemoryControlPlane()
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
                  # A slow lease must not make a replica fall back to its local share.
                  rateLimit: {rate: \(rate), window: 1s, scope: cluster, replicas: 2, leaseTimeout: 2s}
            """
        let first = try await GatewayProcess(yaml: yaml)
        let second = try await GatewayProcess(yaml: yaml)

        // Offer 3 × rate in total from the next window boundary on: one
        // window of warm-up, then counted windows until enough are judged.
        let start = (Self.wallClockNanoseconds() / window + 1) * window
        let firstCounted = start / window + 1
        let offer = Offer(end: start + (maximumWindows + 1) * window)
        try await Task.sleep(for: .nanoseconds(max(0, Int64(start) - Int64(Self.wallClockNanoseconds()))))
        // Many workers keep the offer above the rate even when requests are slow.
        async let firstOffer: Void = Self.offer(
            first, path: "/first", workers: 16, perWorker: 3 * rate / 32, in: offer)
        async let secondOffer: Void = Self.offer(
            second, path: "/second", workers: 16, perWorker: 3 * rate / 32, in: offer)

        // After each counted window closes, and the requests admitted in it
        // have reached the upstream, stop once enough windows can be judged.
        var lastCounted = firstCounted
        while lastCounted < firstCounted + maximumWindows {
            let settled = (lastCounted + 1) * window + window / 10
            try await Task.sleep(for: .nanoseconds(max(0, Int64(settled) - Int64(Self.wallClockNanoseconds()))))
            let rejected = offer.rejectedPerWindow(window)
            let judged = Self.judgedWindows(
                Array(firstCounted...lastCounted), admitted: upstream.countsPerWindow(window), rejected: rejected, rate: rate)
            if judged.count >= requiredWindows { break }
            lastCounted += 1
        }
        offer.end.store(Self.wallClockNanoseconds(), ordering: .relaxed)
        try await firstOffer
        try await secondOffer
        first.stop()
        second.stop()

        let counts = upstream.countsPerWindow(window)
        let rejected = offer.rejectedPerWindow(window)
        let counted = Array(firstCounted...min(lastCounted, firstCounted + maximumWindows - 1))
        let admitted = counted.map { counts[$0, default: 0] }
        let judged = Self.judgedWindows(counted, admitted: counts, rejected: rejected, rate: rate).map { counts[$0, default: 0] }
        let total = judged.reduce(0, +)
        let expected = rate * judged.count
        print(
            "cluster rateLimit, two gateway processes, \(rate)/s offered about \(3 * rate)/s: admitted per window \(admitted), "
                + "rejected per window \(counted.map { rejected[$0, default: 0] }), judged \(judged.count) windows, total \(total) of \(expected)"
        )
        #expect(judged.count >= requiredWindows, "too few windows in which the gateways were offered more than the limit")
        // The mean per judged window is within 2 % of the rate. A single
        // window may fall short by the tokens a replica leased but did not
        // spend in time. The upstream counts a request when it arrives,
        // which on a stalled machine can be a window after the gateway
        // admitted it. So no two adjacent windows may exceed twice the
        // rate by more than 2 %.
        #expect(abs(total - expected) <= expected / 50, "admitted \(total) of \(expected)")
        for (earlier, later) in zip(admitted, admitted.dropFirst()) {
            #expect(earlier + later <= 2 * rate + rate / 25, "two adjacent windows admitted \(earlier) and \(later) of \(rate) each")
        }
        let rejections = offer.rejections.withLock { $0 }
        #expect(!rejections["/first", default: []].isEmpty, "the first gateway was offered more than it could admit")
        #expect(!rejections["/second", default: []].isEmpty, "the second gateway was offered more than it could admit")
        await controlPlane.shutdown()
        await upstream.stop()
    }
}
