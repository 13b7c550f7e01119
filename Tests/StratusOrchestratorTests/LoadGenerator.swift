import StratusDiscovery
import StratusKit
import Synchronization

/// Steady load on a service through the StratusKit service client
/// (discovery, balancing, retries), counting successes and failures.
final class LoadGenerator: Sendable {
    private let clients: ServiceClients
    private let client: ServiceClient
    private let counts = Mutex((succeeded: 0, failed: 0, failures: [String]()))
    private let running = Atomic<Bool>(true)
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(controlPlane: String, service: String) throws {
        clients = try ServiceClients(controlPlane: ControlPlaneClient(endpoints: [controlPlane]))
        client = clients.client(for: service)
    }

    /// Starts `concurrency` loops that each send GET `path` one after another.
    func start(path: String, concurrency: Int) {
        for _ in 0..<concurrency {
            let task = Task {
                while running.load(ordering: .relaxed) {
                    do {
                        let response = try await client.send(ServiceRequest(path: path))
                        record(success: response.isSuccess, failure: "status \(response.status.code)")
                    } catch {
                        record(success: false, failure: "\(error)")
                    }
                }
            }
            tasks.withLock { $0.append(task) }
        }
    }

    private func record(success: Bool, failure: String) {
        counts.withLock { counts in
            if success {
                counts.succeeded += 1
            } else {
                counts.failed += 1
                if counts.failures.count < 10 { counts.failures.append(failure) }
            }
        }
    }

    var succeeded: Int { counts.withLock { $0.succeeded } }
    var failed: Int { counts.withLock { $0.failed } }
    var failures: [String] { counts.withLock { $0.failures } }

    /// Waits until `count` more requests succeeded, for at most 30 s.
    func waitForSuccesses(_ count: Int) async throws {
        let target = succeeded + count
        let deadline = ContinuousClock.now + .seconds(30)
        while succeeded < target && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops the loops and waits for them.
    func stop() async {
        running.store(false, ordering: .relaxed)
        for task in tasks.withLock({ $0 }) {
            await task.value
        }
        await clients.shutdown()
    }
}
