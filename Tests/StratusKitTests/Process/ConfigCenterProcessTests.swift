import Foundation
import Glibc
import StratusConfig
import StratusTestSupport
import Testing

/// Config-center releases reaching running kit services (stratus-config-probe
/// processes), over the embedded store and over a real etcd.
@Suite(.serialized) struct ConfigCenterProcessTests {
    static let namespace = NamespaceCoordinates(application: "config-probe", environment: "dev", namespace: "application")

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-config-process-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private func set(_ client: ConfigCenterClient, _ items: [String: String]) async throws {
        for (key, value) in items.sorted(by: { $0.key < $1.key }) {
            _ = try await client.setItem(Self.namespace, key: key, SetItemRequest(value: value, author: "test"))
        }
    }

    /// A publish reaches three instances, a gray release only the matching
    /// one, a rollback all of them, and a release that fails the service's
    /// handler is refused by all and shows so in history.
    @Test(arguments: ConfigBackend.allCases)
    func releasesReachRunningServices(backend: ConfigBackend) async throws {
        let controlPlane = try await ConfigTestControlPlane(backend)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let client = try ConfigCenterClient(endpoints: [controlPlane.url])
        _ = try await client.createNamespace(Self.namespace, CreateNamespaceRequest(format: .keyValue, author: "test"))
        try await set(client, ["greeting": "hello", "limit": "1"])
        #expect(try await client.publish(Self.namespace, PublishRequest(author: "test")).number == 1)

        let probes = [
            try await ConfigProbeProcess.start(id: "probe-1", controlPlane: controlPlane.url, labels: ["track": "stable"], directory: directory),
            try await ConfigProbeProcess.start(id: "probe-2", controlPlane: controlPlane.url, labels: ["track": "canary"], directory: directory),
            try await ConfigProbeProcess.start(id: "probe-3", controlPlane: controlPlane.url, labels: ["track": "stable"], directory: directory),
        ]
        let canary = probes[1]
        let stable = [probes[0], probes[2]]
        for probe in probes {
            try await probe.waitForApplied(1)
            #expect(try await probe.served().greeting == "hello")
        }

        // A publish reaches all three.
        try await set(client, ["greeting": "world"])
        #expect(try await client.publish(Self.namespace, PublishRequest(author: "test")).number == 2)
        for probe in probes {
            try await probe.waitForApplied(2)
            let served = try await probe.served()
            #expect(served.release == 2)
            #expect(served.greeting == "world")
            #expect(served.changes == 2, "the greeting handler ran for release 1 and 2")
        }

        // A gray release reaches the canary only; abandoning it returns the
        // canary to release 2.
        try await set(client, ["greeting": "canary"])
        let gray = try await client.startGray(Self.namespace, GrayStartRequest(selector: GraySelector(labels: ["track": "canary"]), author: "test"))
        #expect(gray.number == 3)
        try await canary.waitForApplied(3)
        #expect(try await canary.served().greeting == "canary")
        _ = try await client.abandonGray(Self.namespace, GrayDecisionRequest(author: "test"))
        try await canary.waitForApplied(2)

        // A publish after the gray release reaches everyone again; the stable
        // instances never applied release 3.
        try await set(client, ["greeting": "everyone"])
        #expect(try await client.publish(Self.namespace, PublishRequest(author: "test")).number == 4)
        for probe in probes {
            try await probe.waitForApplied(4)
        }
        for probe in stable {
            #expect(probe.appliedReleases() == [1, 2, 4], "\(probe.id) applied \(probe.appliedReleases())")
        }
        #expect(canary.appliedReleases() == [1, 2, 3, 2, 4])

        // A rollback publishes release 2's content again as release 5.
        let rollback = try await client.rollback(Self.namespace, RollbackRequest(author: "test"))
        #expect(rollback.number == 5)
        #expect(rollback.rollbackOf == 2)
        for probe in probes {
            try await probe.waitForApplied(5)
            #expect(try await probe.served().greeting == "world")
        }

        // A release the service's handler rejects is refused everywhere and
        // release 5 stays in force.
        try await set(client, ["limit": "-3"])
        #expect(try await client.publish(Self.namespace, PublishRequest(author: "test")).number == 6)
        for probe in probes {
            try await probe.waitForRefused(6)
            #expect(try await probe.served().release == 5)
        }
        let history = try await waitForReports(client, release: 6, count: 3)
        let refused = try #require(history.releases.first { $0.number == 6 })
        #expect(refused.instances.map(\.instance) == ["probe-1", "probe-2", "probe-3"])
        #expect(refused.instances.allSatisfy { $0.status == .refused && $0.reason?.contains("limit -3 is negative") == true })
        let applied = try #require(history.releases.first { $0.number == 5 })
        #expect(applied.instances.isEmpty, "each instance's latest report names release 6")

        for probe in probes {
            probe.stop()
        }
        await controlPlane.close()
    }

    /// A service whose control plane is down at start-up starts from its
    /// cache, and follows the control plane once it is back.
    @Test(arguments: ConfigBackend.allCases)
    func startsFromCacheDuringOutage(backend: ConfigBackend) async throws {
        let controlPlane = try await ConfigTestControlPlane(backend)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = directory.appendingPathComponent("cache").path
        let client = try ConfigCenterClient(endpoints: [controlPlane.url])
        _ = try await client.createNamespace(Self.namespace, CreateNamespaceRequest(format: .keyValue, author: "test"))
        try await set(client, ["greeting": "cached"])
        _ = try await client.publish(Self.namespace, PublishRequest(author: "test"))

        let first = try await ConfigProbeProcess.start(id: "probe-a", controlPlane: controlPlane.url, cacheDirectory: cache, directory: directory)
        try await first.waitForApplied(1)
        first.stop()
        await controlPlane.stop()

        let second = try await ConfigProbeProcess.start(id: "probe-b", controlPlane: controlPlane.url, cacheDirectory: cache, directory: directory)
        #expect(await second.log.waitFor(message: "config loaded from the cache"))
        let offline = try await second.served()
        #expect(offline.source == "cache")
        #expect(offline.greeting == "cached")
        #expect(offline.release == 1)

        try await controlPlane.start()
        #expect(await second.log.waitFor(message: "control plane reachable again; config watch resumed"))
        try await set(client, ["greeting": "online"])
        _ = try await client.publish(Self.namespace, PublishRequest(author: "test"))
        try await second.waitForApplied(2)
        let online = try await second.served()
        #expect(online.source == "control-plane")
        #expect(online.greeting == "online")
        second.stop()
        await controlPlane.close()
    }

    /// Waits until `count` instances reported about `release`; the reports
    /// are sent in the background after each apply or refusal.
    private func waitForReports(_ client: ConfigCenterClient, release: Int, count: Int) async throws -> ReleaseHistory {
        for _ in 0..<300 {
            let history = try await client.history(Self.namespace)
            if history.releases.first(where: { $0.number == release })?.instances.count == count {
                return history
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await client.history(Self.namespace)
    }
}
