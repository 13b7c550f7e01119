import Foundation
import Glibc
import StratusControlPlane
import StratusOrchestrator
import Testing

/// `stratus up` running real replicas: replacement after kill -9 and
/// rolling restarts under load.
@Suite(.serialized) struct UpReplicaTests {
    static let spec = """
        name: probe-app
        services:
          - name: replica-probe
            command: "{{probe}}"
            replicas: 3
            environment:
              REPLICA_PROBE_SERVER_DRAINPERIOD: 300ms
              REPLICA_PROBE_LOG_ACCESSLOG: "false"
            health:
              period: 100ms
              timeout: 500ms
              startupGrace: 10s
            rollout: {maxSurge: 1, maxUnavailable: 0}
            drainPeriod: 500ms
            terminationGracePeriod: 5s
        controlPlane:
          listen: 127.0.0.1:0
          store: memory
        """

    static func allAvailable(_ status: AppStatus) -> Bool {
        status.services.allSatisfy { $0.availableReplicas == $0.desiredReplicas && $0.rollout.complete }
    }

    @Test func killedReplicaReplacedUnderLoad() async throws {
        let up = try await UpProcess.start(Self.spec)
        let before = try await up.waitFor("3 available replicas", Self.allAvailable)
        let load = try LoadGenerator(controlPlane: up.client.baseURL, service: "replica-probe")
        load.start(path: "/work?ms=2", concurrency: 4)
        try await load.waitForSuccesses(200)

        let victim = try #require(before.services[0].replicas.first { $0.id == "replica-probe-2" })
        let killedAt = ContinuousClock.now
        kill(try #require(victim.pid), SIGKILL)
        let after = try await up.waitFor("replica-probe-2 replaced and ready", within: .seconds(20)) { status in
            guard let replica = status.services[0].replicas.first(where: { $0.id == "replica-probe-2" }) else { return false }
            return replica.pid != victim.pid && replica.ready && replica.registered
        }
        let replaced = ContinuousClock.now - killedAt
        print("orchestrator: replica-probe-2 replaced and ready \(replaced) after kill -9")
        try await load.waitForSuccesses(200)
        await load.stop()

        let replica = try #require(after.services[0].replicas.first { $0.id == "replica-probe-2" })
        #expect(replica.restarts == 1)
        #expect(replica.lastExit == "signal 9 (SIGKILL)")
        #expect(replica.backoffDelays == [1])
        #expect(after.services[0].restarts == 1)
        #expect(load.failed == 0, "failed requests: \(load.failures)")
        #expect(load.succeeded >= 400)
        #expect(await up.stop() == 0)
    }

    @Test func rollingRestartKeepsCapacity() async throws {
        let up = try await UpProcess.start(Self.spec)
        let before = try await up.waitFor("3 available replicas", Self.allAvailable)
        let load = try LoadGenerator(controlPlane: up.client.baseURL, service: "replica-probe")
        load.start(path: "/work?ms=2", concurrency: 4)
        try await load.waitForSuccesses(200)
        let sampler = ReadinessSampler(controlPlane: up.client.baseURL, service: "replica-probe")
        let sampling = Task { await sampler.run() }

        let restart = try ProcessRun(["rollout", "restart", "replica-probe", "--wait", "--timeout", "60s", "--control-plane", up.client.baseURL, "--app", "probe-app"])
        #expect(await restart.finish() == 0, "stratus rollout restart: \(restart.standardError)")
        #expect(restart.standardOutput.contains("replica-probe: rollout complete"))
        let after = try await up.waitFor("the rollout to settle", Self.allAvailable)
        try await load.waitForSuccesses(200)
        sampler.stop()
        await sampling.value
        await load.stop()

        let oldTemplate = before.services[0].rollout.template
        #expect(after.services[0].rollout.template != oldTemplate)
        #expect(after.services[0].replicas.count == 3)
        #expect(after.services[0].replicas.allSatisfy { $0.template == after.services[0].rollout.template })
        #expect(Set(after.services[0].replicas.map(\.pid)).isDisjoint(with: before.services[0].replicas.map(\.pid)))
        #expect(sampler.samples >= 10, "the sampler ran through the rollout")
        // maxUnavailable is 0: never fewer than 3 ready, registered replicas.
        #expect(sampler.minimum >= 3, "ready replicas fell to \(sampler.minimum)")
        #expect(load.failed == 0, "failed requests: \(load.failures)")
        #expect(await up.stop() == 0)
    }
}
