import StratusDiscovery
import StratusLog
import Synchronization

/// Resolves service names to the base URL of one UP instance, such as
/// `http://127.0.0.1:9100`, for plugins that call services (external
/// authorization). Each service gets a discovery cache on first use, fed
/// by the control plane's watch and kept for the process's life. A call
/// picks one UP instance at random.
///
/// Thread safety: `resolve` may be called from any task.
final class GatewayServiceResolver: Sendable {
    private let client: ControlPlaneClient
    private let logger: Logger
    private let discoveries = Mutex<[String: Task<ServiceDiscovery, Never>]>([:])

    init(client: ControlPlaneClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Returns the base URL of an UP instance of `service`. The first call
    /// for a service waits for its first list from the control plane.
    ///
    /// - Throws: `GatewayServiceResolverError` when the service has no UP instance.
    func resolve(_ service: String) async throws -> String {
        let discovery = await discovery(of: service).value
        guard let instance = discovery.snapshot.upInstances.randomElement() else {
            throw GatewayServiceResolverError(description: "service \(service) has no UP instance in discovery; check that its instances are registered with the control plane and healthy")
        }
        let host = instance.address.contains(":") ? "[\(instance.address)]" : instance.address
        return "http://\(host):\(instance.port)"
    }

    private func discovery(of service: String) -> Task<ServiceDiscovery, Never> {
        discoveries.withLock { discoveries in
            if let task = discoveries[service] {
                return task
            }
            let task = Task { [client, logger] in
                let discovery = ServiceDiscovery(client: client, service: service, logger: logger)
                await discovery.start()
                return discovery
            }
            discoveries[service] = task
            return task
        }
    }
}

struct GatewayServiceResolverError: Error, CustomStringConvertible {
    var description: String
}
