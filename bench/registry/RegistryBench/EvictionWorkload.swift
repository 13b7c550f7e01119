import Foundation
import StratusDiscovery
import StratusTestSupport
import Synchronization

/// Measures the time from kill -9 of an instance process until a watcher
/// reports the instance gone.
///
/// Each run starts `stratus-instance-probe` (TTL `--ttl`, heartbeats every
/// TTL/3 ±10 %), waits until the watcher has the instance, waits a random
/// 1.2 to 2.2 s so that at least one heartbeat renewed the lease and the kill
/// falls at a random point of the heartbeat cycle, then sends SIGKILL. The
/// sample ends when the watcher, a `ServiceDiscovery` of the service, reports
/// a snapshot without the instance. Runs go one after another.
enum EvictionWorkload {
    static let service = "eviction"

    static func run(_ options: BenchOptions) async throws -> [String: Any] {
        let client = try ControlPlaneClient(endpoints: [options.controlPlane])
        let discovery = ServiceDiscovery(client: client, service: service)
        await discovery.start()
        let tracker = PresenceTracker()
        let follower = Task {
            for await snapshot in discovery.updates() {
                tracker.record(snapshot)
            }
        }
        defer {
            follower.cancel()
            discovery.stop()
        }

        var samples: [Duration] = []
        for run in 0..<options.runs {
            samples.append(try await measureOnce(id: "probe-\(run)", port: 20_000 + run, options: options, tracker: tracker))
        }
        var results = LatencySummary(samples).fields("removal")
        results["runs"] = options.runs
        results["ttl_s"] = options.ttl
        return results
    }

    private static func measureOnce(id: String, port: Int, options: BenchOptions, tracker: PresenceTracker) async throws -> Duration {
        let probe = try ProbeProcess("stratus-instance-probe", [
            "--control-plane", options.controlPlane, "--service", service, "--id", id,
            "--port", "\(port)", "--ttl", "\(options.ttl)",
        ], logPath: options.probeLog)
        let line = await LineReader(probe.output).nextLine()
        guard line == "registered" else {
            throw BenchError("instance \(id) did not register: its output was \(line.map { "\"\($0)\"" } ?? "empty")")
        }
        _ = try await poll("the watcher to see \(id) registered", timeout: .seconds(10)) {
            tracker.firstSeen(id)
        }
        try await Task.sleep(for: .milliseconds(Int.random(in: 1200...2200)))

        let killed = ContinuousClock.now
        probe.kill(SIGKILL)
        let removed = try await poll("the watcher to see \(id) removed", timeout: .seconds(Int(options.ttl) + 15)) {
            tracker.removal(id)
        }
        return removed - killed
    }
}

/// When each instance id first appeared in, and then left, the snapshots
/// of a `ServiceDiscovery`.
final class PresenceTracker: Sendable {
    private struct State {
        var present: Set<String> = []
        var firstSeen: [String: ContinuousClock.Instant] = [:]
        var removed: [String: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())

    /// Records a snapshot with the time it reached this consumer.
    func record(_ snapshot: InstanceSnapshot) {
        let now = ContinuousClock.now
        let ids = Set(snapshot.instances.map(\.id))
        state.withLock { state in
            for id in ids.subtracting(state.present) where state.firstSeen[id] == nil {
                state.firstSeen[id] = now
            }
            for id in state.present.subtracting(ids) where state.removed[id] == nil {
                state.removed[id] = now
            }
            state.present = ids
        }
    }

    func firstSeen(_ id: String) -> ContinuousClock.Instant? {
        state.withLock { $0.firstSeen[id] }
    }

    func removal(_ id: String) -> ContinuousClock.Instant? {
        state.withLock { $0.removed[id] }
    }
}
