import StratusDiscovery
import StratusLog
import StratusStore
import Synchronization

/// The gateway's clients of control planes: the discovery client of
/// upstreams, the store client of plugin suites, and the resolver of
/// service names. Each list of endpoints gets one set, kept for the
/// process's life, so configurations with the same endpoints share it.
///
/// Thread safety: all methods may be called from any thread.
final class GatewayConnections: Sendable {
    private struct Clients: Sendable {
        var controlPlane: ControlPlaneClient?
        var store: EtcdStore?
        var resolver: GatewayServiceResolver?
    }

    private let logger: Logger
    private let clients = Mutex<[[String]: Clients]>([:])

    init(logger: Logger) {
        self.logger = logger
    }

    /// Returns the discovery client of `endpoints`, or nil when there are
    /// none or one is not a valid URL.
    func controlPlane(for endpoints: [String]) -> ControlPlaneClient? {
        entry(for: endpoints)?.controlPlane
    }

    /// Returns the store client of `endpoints` (the control plane's etcd v3
    /// API), or nil when there are none or one is not a valid URL.
    func store(for endpoints: [String]) -> EtcdStore? {
        entry(for: endpoints)?.store
    }

    /// Returns the service resolver of `endpoints`, or nil when there are
    /// none or one is not a valid URL.
    func serviceResolver(for endpoints: [String]) -> GatewayServiceResolver? {
        entry(for: endpoints)?.resolver
    }

    private func entry(for endpoints: [String]) -> Clients? {
        guard !endpoints.isEmpty else { return nil }
        return clients.withLock { clients in
            if let existing = clients[endpoints] {
                return existing
            }
            let controlPlane = try? ControlPlaneClient(endpoints: endpoints)
            let created = Clients(
                controlPlane: controlPlane,
                store: try? EtcdStore(endpoints: endpoints),
                resolver: controlPlane.map { GatewayServiceResolver(client: $0, logger: logger) }
            )
            clients[endpoints] = created
            return created
        }
    }
}
