import Foundation
import Glibc
import StratusControlPlane
import StratusDiscovery
import StratusNet
import StratusStore
import StratusTestSupport
import Testing

/// Instances as real processes registering with a control plane over
/// loopback, and a discovery client watching them.
@Suite struct DiscoveryProcessTests {
    @Test func killedInstanceIsEvicted() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        let client = try ControlPlaneClient(endpoints: [url])
        let discovery = ServiceDiscovery(client: client, service: "orders")
        await discovery.start()
        var instances: [InstanceProcess] = []
        for index in 0..<3 {
            instances.append(try await InstanceProcess(controlPlane: url, service: "orders", id: "orders-\(index)", port: 9000 + index))
        }
        try await waitForSnapshot(discovery, "three instances") { $0.ids.count == 3 }

        instances[0].process.kill(SIGKILL)
        let evicted = try await waitForSnapshot(discovery, "orders-0 evicted after SIGKILL") { !$0.ids.contains("orders-0") }
        print("orders-0 evicted \(evicted) after SIGKILL (TTL 3 s, heartbeat 1 s)")

        instances[1].process.kill(SIGTERM)
        #expect(await instances[1].reader.nextLine() == "deregistered")
        try await waitForSnapshot(discovery, "orders-1 removed after SIGTERM") { !$0.ids.contains("orders-1") }
        #expect(discovery.snapshot.ids == ["orders-2"])

        discovery.stop()
        instances[2].process.kill(SIGKILL)
        await controlPlane.shutdown()
    }

    @Test func instancesReturnAfterRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-cp-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The control plane comes back on the same port. Servers listen with
        // SO_REUSEPORT, so another test's server that picked this port with
        // port 0 in the meantime would share it. Port 0 never hands out a
        // port below the ephemeral range.
        let port = try LoopbackPorts.belowEphemeralRange()
        var (controlPlane, url) = try await startControlPlane(store: .embedded(directory: directory), port: port)
        let client = try ControlPlaneClient(endpoints: [url])
        // A TTL long enough that a loaded machine does not expire a lease
        // before the restart; heartbeats go every 5 s.
        let registrars = (0..<2).map { index in
            ServiceRegistrar(client: client, instance: ServiceInstance(service: "billing", id: "billing-\(index)", address: "127.0.0.1", port: 9100 + index), ttlSeconds: 15)
        }
        for registrar in registrars {
            try await registrar.start()
        }
        let discovery = ServiceDiscovery(client: client, service: "billing")
        await discovery.start()
        #expect(discovery.snapshot.ids == ["billing-0", "billing-1"])

        await controlPlane.shutdown()
        #expect(discovery.snapshot.ids == ["billing-0", "billing-1"], "discovery keeps the last known list")
        (controlPlane, url) = try await startControlPlane(store: .embedded(directory: directory), port: port)
        // The restart ended the leases, so each registrar's next heartbeat
        // registers again. The list from the restarted control plane is the
        // reference that discovery must catch up with.
        var list = try await client.instances(of: "billing")
        for _ in 0..<600 where Set(list.instances.map(\.id)) != ["billing-0", "billing-1"] {
            try await Task.sleep(for: .milliseconds(50))
            list = try await client.instances(of: "billing")
        }
        #expect(Set(list.instances.map(\.id)) == ["billing-0", "billing-1"], "both registrars registered again")
        let revision = list.revision
        let back = try await waitForSnapshot(discovery, "both instances after the restart") { $0.ids == ["billing-0", "billing-1"] && $0.revision >= revision }
        print("discovery caught up \(back) after the list showed both instances again (heartbeat 5 s)")

        for registrar in registrars {
            await registrar.stop()
        }
        discovery.stop()
        await controlPlane.shutdown()
    }

    @Test func clientsFailOverBetweenReplicas() async throws {
        let etcd = try await EtcdPeer.start(name: "replicas")
        let etcdSpec = try StoreSpec(parsing: "etcd://" + etcd.clientURL.dropFirst("http://".count))
        let (first, firstURL) = try await startControlPlane(store: etcdSpec)
        let (second, secondURL) = try await startControlPlane(store: etcdSpec)
        let client = try ControlPlaneClient(endpoints: [firstURL, secondURL])
        let registrar = ServiceRegistrar(client: client, instance: ServiceInstance(service: "search", id: "search-0", address: "127.0.0.1", port: 9200))
        try await registrar.start()
        let discovery = ServiceDiscovery(client: client, service: "search")
        await discovery.start()
        #expect(discovery.snapshot.ids == ["search-0"])

        await first.shutdown()
        let late = ServiceRegistrar(client: client, instance: ServiceInstance(service: "search", id: "search-1", address: "127.0.0.1", port: 9201))
        try await late.start()
        try await waitForSnapshot(discovery, "search-1 through the second replica") { $0.ids == ["search-0", "search-1"] }
        // A heartbeat, like the registrar's own, now reaches the second replica.
        try await client.heartbeat(service: "search", id: "search-0")
        #expect(try await client.instances(of: "search").instances.map(\.id) == ["search-0", "search-1"])

        await registrar.stop()
        await late.stop()
        discovery.stop()
        await second.shutdown()
        await etcd.stop()
    }
}
