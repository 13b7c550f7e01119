import Testing
import StratusDiscovery
import StratusNet
import StratusTelemetry
@testable import StratusControlPlane
@testable import StratusStore

/// The health checker inside running control planes, probing a real HTTP
/// server on loopback with the continuous clock.
@Suite struct ControlPlaneHealthCheckTests {
    static let service = "iam-apiserver"

    static func configuration(metrics: MetricsRegistry) -> ControlPlane.Configuration {
        var configuration = ControlPlane.Configuration(store: .memory)
        configuration.port = 0
        configuration.logger = quietLogger
        configuration.healthCheckMetrics = metrics
        return configuration
    }

    /// Registers an instance of the target, probed every second, that one
    /// result marks DOWN or UP.
    static func registerTarget(_ target: HealthTarget, in registry: Registry) async throws {
        var probed = instance("target", service: service, port: target.port)
        probed.healthCheck = HealthCheck(path: "/healthz", periodSeconds: 1, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 1)
        _ = try await registry.register(RegistrationRequest(instance: probed, ttlSeconds: 300))
    }

    static func probeCount(_ metrics: MetricsRegistry) -> Int64 {
        ["pass", "fail"].map { result in
            Counter(label: HealthCheckMetrics.probesName, dimensions: [("service", service), ("result", result)], registry: metrics).value
        }.reduce(0, +)
    }

    @Test func httpProbesMarkDownThenUp() async throws {
        let target = try await HealthTarget.start()
        let metrics = MetricsRegistry()
        let controlPlane = try ControlPlane(configuration: Self.configuration(metrics: metrics))
        try await controlPlane.start()
        try await Self.registerTarget(target, in: controlPlane.registry)

        target.healthy = false
        try await waitForStatus(.down, of: "target", service: Self.service, in: controlPlane.registry)
        target.healthy = true
        try await waitForStatus(.up, of: "target", service: Self.service, in: controlPlane.registry)
        #expect(controlPlane.isLeadingHealthChecks)
        #expect(Self.probeCount(metrics) >= 2)

        await controlPlane.shutdown()
        #expect(!controlPlane.isLeadingHealthChecks)
        await target.stop()
    }

    @Test func disabledChecksDoNotCampaign() async throws {
        var configuration = Self.configuration(metrics: MetricsRegistry())
        configuration.healthChecks = false
        let store = try makeMemoryStore()
        let controlPlane = try ControlPlane(configuration: configuration, store: store)
        try await controlPlane.start()
        let election = try Election(store: store, name: ControlPlane.healthCheckElectionName)
        #expect(try await election.leader() == nil)
        #expect(!controlPlane.isLeadingHealthChecks)
        await controlPlane.shutdown()
        // The caller's store stays open after shutdown.
        #expect(try await store.list(prefix: "/").count == 0)
        await store.close()
    }

    @Test func oneReplicaRunsCheckerAndAnotherTakesOver() async throws {
        let store = try EmbeddedStore(configuration: .init(path: nil), logger: quietLogger)
        let target = try await HealthTarget.start()
        let metrics = [MetricsRegistry(), MetricsRegistry()]
        let replicas = try metrics.map { try ControlPlane(configuration: Self.configuration(metrics: $0), store: store) }
        for replica in replicas {
            try await replica.start()
        }
        let registry = Registry(store: store)
        try await Self.registerTarget(target, in: registry)

        target.healthy = false
        try await waitForStatus(.down, of: "target", service: Self.service, in: registry)
        let election = try Election(store: store, name: ControlPlane.healthCheckElectionName)
        let leaderValue = try #require(try await election.leader()?.value)
        let leaderIndex = try #require(replicas.firstIndex { "\($0.localAddress!)" == leaderValue }, "the leader \(leaderValue) is neither replica")
        let followerIndex = 1 - leaderIndex
        #expect(replicas[leaderIndex].isLeadingHealthChecks)
        #expect(!replicas[followerIndex].isLeadingHealthChecks)
        #expect(Self.probeCount(metrics[leaderIndex]) > 0)
        #expect(Self.probeCount(metrics[followerIndex]) == 0)

        // Only the follower can mark the target UP once the leader is gone.
        await replicas[leaderIndex].shutdown()
        target.healthy = true
        try await waitForStatus(.up, of: "target", service: Self.service, in: registry)
        #expect(replicas[followerIndex].isLeadingHealthChecks)
        #expect(try await election.leader()?.value == "\(replicas[followerIndex].localAddress!)")
        #expect(Self.probeCount(metrics[followerIndex]) > 0)

        await replicas[followerIndex].shutdown()
        #expect(try await election.leader() == nil)
        await store.close()
        await target.stop()
    }
}
