import Foundation
import StratusDiscovery
import StratusHTTP
import Synchronization

/// Counts, again and again, a service's instances that the registry lists
/// as UP and whose `/readyz` returns 200, and keeps the lowest count. That
/// count is the capacity callers could route to, measured apart from the
/// orchestrator.
///
/// A sample probes every instance at once and counts only when the
/// service's registry revision is the same before and after the probes. Otherwise a
/// slow sample on a loaded machine would mix the old instances' readiness
/// with a registry listing from before the new ones were up.
final class ReadinessSampler: Sendable {
    private let controlPlane: String
    private let service: String
    private let http = HTTPClient()
    private let state = Mutex((minimum: Int.max, samples: 0))
    private let running = Atomic<Bool>(true)

    init(controlPlane: String, service: String) {
        self.controlPlane = controlPlane
        self.service = service
    }

    var minimum: Int { state.withLock { $0.minimum } }
    var samples: Int { state.withLock { $0.samples } }

    func run() async {
        while running.load(ordering: .relaxed) {
            if let count = await sample() {
                state.withLock { state in
                    state.minimum = min(state.minimum, count)
                    state.samples += 1
                }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        http.shutdown()
    }

    func stop() {
        running.store(false, ordering: .relaxed)
    }

    private func sample() async -> Int? {
        guard let before = await instances() else { return nil }
        let ready = await withTaskGroup(of: Bool.self) { group in
            for instance in before.instances where instance.status == .up {
                group.addTask { await self.isReady(instance) }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        guard let after = await instances(), after.revision == before.revision else { return nil }
        return ready
    }

    /// Returns the service's instances, or nil when the list cannot be read.
    private func instances() async -> InstanceList? {
        guard let (response, body) = try? await http.execute(
            HTTPClientRequest(url: "\(controlPlane)/api/v1/services/\(service)/instances"), collectingUpTo: 1 << 20
        ), response.status.code == 200, let list = try? JSONDecoder().decode(InstanceList.self, from: Data(body)) else { return nil }
        return list
    }

    private func isReady(_ instance: ServiceInstance) async -> Bool {
        let request = HTTPClientRequest(url: "http://\(instance.address):\(instance.port)/readyz")
        guard let (probe, _) = try? await http.execute(request, timeout: .seconds(10), collectingUpTo: 1024) else { return false }
        return probe.status.code == 200
    }
}
