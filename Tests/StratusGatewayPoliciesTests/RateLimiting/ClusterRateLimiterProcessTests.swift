import Foundation
import StratusGatewayPolicies
import StratusTestSupport
import Testing

/// Two gateway replicas as two processes, each with the cluster-wide
/// limiter, against one control plane in this process, on the real clock.
@Suite struct ClusterRateLimiterProcessTests {
    @Test func twoProcessesShareOneRate() async throws {
        try await withControlPlane { fixture in
            let rate = 400.0
            let windows: UInt64 = 4
            // Start both on a window boundary at least 1.5 s away, so both
            // processes are running by then.
            let now = WallClock.system.now()
            let start = (now + 1_500_000_000) / 1_000_000_000 * 1_000_000_000 + 1_000_000_000
            let arguments = [
                "--endpoint", fixture.url, "--name", "process-test-\(UInt32.random(in: 0...UInt32.max))",
                // Each process is offered 300/s, 600/s together against 400/s.
                "--rate", "\(rate)", "--offered", "300", "--windows", "\(windows)", "--start", "\(start)",
                // Other tests load the machine; a slow lease must not make
                // a replica fall back to its local share.
                "--lease-timeout-ms", "2000",
            ]
            let first = try ProbeProcess("stratus-ratelimit-probe", arguments)
            let second = try ProbeProcess("stratus-ratelimit-probe", arguments)
            let firstLine = try #require(await LineReader(first.output).nextLine())
            let secondLine = try #require(await LineReader(second.output).nextLine())
            #expect(await first.exitStatus() == 0)
            #expect(await second.exitStatus() == 0)
            let results = try [firstLine, secondLine].map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Int], "unexpected probe output \(line)")
            }
            let admitted = results.reduce(0) { $0 + ($1["admitted"] ?? 0) }
            let transactions = results.reduce(0) { $0 + ($1["transactions"] ?? 0) }
            let expected = Int(rate) * Int(windows)
            print("cluster limiter, two processes: admitted \(admitted) of \(expected) (\(results.map { $0["admitted"] ?? 0 })), \(transactions) transactions")
            #expect(results.allSatisfy { $0["failedLeases"] == 0 })
            #expect(Double(admitted) >= Double(expected) * 0.98, "admitted \(admitted) of \(expected)")
            #expect(Double(admitted) <= Double(expected) * 1.02, "admitted \(admitted) of \(expected)")
        }
    }
}
