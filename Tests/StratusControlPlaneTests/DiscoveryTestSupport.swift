import Foundation
import StratusControlPlane
import StratusDiscovery
import StratusStore
import StratusTestSupport
import Testing

/// Starts a control plane on a free loopback port (or `port`) and returns it
/// with its base URL.
func startControlPlane(store: StoreSpec, port: Int = 0) async throws -> (ControlPlane, String) {
    var configuration = ControlPlane.Configuration(store: store)
    configuration.port = port
    let controlPlane = try ControlPlane(configuration: configuration)
    try await controlPlane.start()
    let address = try #require(controlPlane.localAddress)
    return (controlPlane, "http://\(address)")
}

/// Waits until `condition` holds for a snapshot from `discovery`, for at
/// most `limit`, and returns the time it took.
@discardableResult
func waitForSnapshot(
    _ discovery: ServiceDiscovery,
    within limit: Duration = .seconds(30),
    _ what: String,
    _ condition: @escaping @Sendable (InstanceSnapshot) -> Bool
) async throws -> Duration {
    let start = ContinuousClock.now
    let found = await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            for await snapshot in discovery.updates() where condition(snapshot) {
                return true
            }
            return false
        }
        group.addTask {
            try? await Task.sleep(for: limit)
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
    try #require(found, "discovery did not see \(what) within \(limit)")
    return ContinuousClock.now - start
}

/// An instance process (stratus-instance-probe) registered with a control plane.
final class InstanceProcess: @unchecked Sendable {
    let id: String
    let process: ProbeProcess
    let reader: LineReader

    init(controlPlane: String, service: String, id: String, port: Int, ttl: Int = 3) async throws {
        self.id = id
        process = try ProbeProcess("stratus-instance-probe", [
            "--control-plane", controlPlane, "--service", service, "--id", id, "--port", "\(port)", "--ttl", "\(ttl)",
        ])
        reader = LineReader(process.output)
        let line = await reader.nextLine()
        try #require(line == "registered", "instance \(id) did not register: \(line ?? "exited")")
    }
}

extension InstanceSnapshot {
    var ids: Set<String> { Set(instances.map(\.id)) }
}
