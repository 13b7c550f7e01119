import Foundation
import StratusKit

/// A StratusKit service that the orchestrator's tests run as replicas.
/// It registers under `PROBE_SERVICE_NAME` (default `replica-probe`).
///
/// - `GET /whoami` returns the replica's `STRATUS_INSTANCE_ID`.
/// - `GET /work?ms=N` answers after N milliseconds of waiting.
/// - `GET /burn?ms=N` answers after N milliseconds of CPU-bound work.
@main
struct ReplicaProbe {
    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        let name = environment["PROBE_SERVICE_NAME"] ?? "replica-probe"
        let instance = environment["STRATUS_INSTANCE_ID"] ?? "unknown"
        await ServiceApplication.main(name: name, version: "0.0.1") { app in
            app.router.get("/whoami") { _, _ in
                instance + "\n"
            }
            app.router.get("/work") { request, _ in
                let milliseconds = request.queryParameter("ms").flatMap { Int($0) } ?? 0
                try await Task.sleep(for: .milliseconds(milliseconds))
                return "done\n"
            }
            app.router.get("/burn") { request, _ in
                let milliseconds = request.queryParameter("ms").flatMap { Int($0) } ?? 10
                return "burned \(burn(for: .milliseconds(milliseconds)))\n"
            }
        }
    }

    /// Spins on the CPU for `duration` and returns a value that depends on
    /// every iteration, so the loop is not optimized away.
    static func burn(for duration: Duration) -> UInt64 {
        let deadline = ContinuousClock.now + duration
        var value: UInt64 = 0x9e37_79b9_7f4a_7c15
        while ContinuousClock.now < deadline {
            for _ in 0..<1000 {
                value = value &* 6_364_136_223_846_793_005 &+ 1
            }
        }
        return value >> 60
    }
}
