import Foundation
import StratusDiscovery
import StratusHTTP
import Synchronization

/// Counts, again and again, a service's instances that the registry lists
/// as UP and whose `/readyz` returns 200, and keeps the lowest count. That
/// count is the capacity callers could route to, measured apart from the
/// orchestrator.
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
        guard let (response, body) = try? await http.execute(
            HTTPClientRequest(url: "\(controlPlane)/api/v1/services/\(service)/instances"), collectingUpTo: 1 << 20
        ), response.status.code == 200, let list = try? JSONDecoder().decode(InstanceList.self, from: Data(body)) else { return nil }
        var ready = 0
        for instance in list.instances where instance.status == .up {
            let request = HTTPClientRequest(url: "http://\(instance.address):\(instance.port)/readyz")
            if let (probe, _) = try? await http.execute(request, timeout: .seconds(10), collectingUpTo: 1024), probe.status.code == 200 {
                ready += 1
            }
        }
        return ready
    }
}
