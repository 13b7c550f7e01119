import StratusControlPlane
import StratusDiscovery
import Testing

/// Discoveries of many services that share one `ControlPlaneClient`, as in
/// a gateway that routes to all of them.
@Suite struct SharedClientDiscoveryTests {
    /// Every discovery keeps a watch stream open, so more discoveries than
    /// the HTTP client's default of 64 connections per endpoint must all see
    /// their instances, well before the pool's 10 s wait for a connection.
    @Test func hundredDiscoveriesShareOneClient() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        defer { Task { await controlPlane.shutdown() } }
        let client = try ControlPlaneClient(endpoints: [url])
        let discoveries = (0..<100).map { ServiceDiscovery(client: client, service: "service-\($0)") }
        for discovery in discoveries {
            await discovery.start()
        }
        defer { discoveries.forEach { $0.stop() } }

        let checked = [0, 63, 64, 99]
        for index in checked {
            let instance = ServiceInstance(service: "service-\(index)", id: "instance-\(index)", address: "127.0.0.1", port: 9000 + index)
            _ = try await client.register(RegistrationRequest(instance: instance, ttlSeconds: 60))
        }
        for index in checked {
            try await waitForSnapshot(discoveries[index], within: .seconds(5), "instance-\(index) registered") {
                $0.ids == ["instance-\(index)"]
            }
        }
    }
}
