import Foundation
import StratusGatewayPolicies
import StratusTestSupport
import Testing

/// Two gateway replicas as two processes, each with the cluster-wide
/// limiter, against one control plane in this process, on the real clock.
@Suite struct ClusterRateLimiterProcessTests {
    @Test func twoProcessesShareOneRate() async throws {
        try await withControlPlane { fixture in
            let rate = 400
            // Other tests load the machine and may stall a process for a
            // window, so only windows offered enough are judged.
            let windows = 6
            let requiredWindows = 2
            // Start both on a window boundary at least 1.5 s away, so both
            // processes are running by then.
            let now = WallClock.system.now()
            let start = (now + 1_500_000_000) / 1_000_000_000 * 1_000_000_000 + 1_000_000_000
            let arguments = [
                "--endpoint", fixture.url, "--name", "process-test-\(UInt32.random(in: 0...UInt32.max))",
                // Each process is offered 300/s, 600/s together against 400/s.
                "--rate", "\(rate)", "--offered", "300", "--windows", "\(windows)", "--start", "\(start)",
                // A slow lease must not make a replica fall back to its local share.
                "--lease-timeout-ms", "2000",
            ]
            let first = try ProbeProcess("stratus-ratelimit-probe", arguments)
            let second = try ProbeProcess("stratus-ratelimit-probe", arguments)
            let firstLine = try #require(await LineReader(first.output).nextLine())
            let secondLine = try #require(await LineReader(second.output).nextLine())
            #expect(await first.exitStatus() == 0)
            #expect(await second.exitStatus() == 0)
            let results = try [firstLine, secondLine].map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "unexpected probe output \(line)")
            }
            let admitted = Self.sumPerWindow(results, "admitted", windows: windows)
            let rejected = Self.sumPerWindow(results, "rejected", windows: windows)
            // A judged window rejected requests and was offered at least
            // 1.25 times the rate, so every token had a request waiting.
            let judged = (0..<windows).filter { rejected[$0] > 0 && admitted[$0] + rejected[$0] >= rate * 5 / 4 }
            let total = judged.reduce(0) { $0 + admitted[$1] }
            let expected = rate * judged.count
            print("cluster limiter, two processes: admitted per window \(admitted), rejected per window \(rejected), judged \(judged.count) windows, total \(total) of \(expected)")
            #expect(results.allSatisfy { $0["failedLeases"] as? Int == 0 })
            #expect(judged.count >= requiredWindows, "too few windows in which the processes were offered more than the rate")
            #expect(abs(total - expected) <= expected / 50, "admitted \(total) of \(expected)")
            for count in admitted {
                #expect(count <= rate + rate / 50, "a window admitted \(count) of \(rate)")
            }
        }
    }

    /// Adds the two processes' per-window counts under `key`.
    private static func sumPerWindow(_ results: [[String: Any]], _ key: String, windows: Int) -> [Int] {
        results.reduce(into: [Int](repeating: 0, count: windows)) { sums, result in
            for (index, count) in (result[key] as? [Int] ?? []).enumerated() where index < windows {
                sums[index] += count
            }
        }
    }
}
