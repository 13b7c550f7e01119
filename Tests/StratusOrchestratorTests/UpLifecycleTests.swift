import Foundation
import Glibc
import StratusControlPlane
import StratusOrchestrator
import Testing

/// `stratus up` starting and stopping: dependency order, `stratus down`,
/// Ctrl-C, crash loops and logs.
@Suite(.serialized) struct UpLifecycleTests {
    static let twoServices = """
        name: pair
        services:
          - name: front
            command: "{{probe}}"
            replicas: 2
            dependsOn: [back]
            environment:
              PROBE_SERVICE_NAME: front
              FRONT_SERVER_DRAINPERIOD: 100ms
            health: {period: 100ms, startupGrace: 10s}
          - name: back
            command: "{{probe}}"
            replicas: 2
            environment:
              BACK_SERVER_DRAINPERIOD: 100ms
              PROBE_SERVICE_NAME: back
            health: {period: 100ms, startupGrace: 10s}
        controlPlane:
          listen: 127.0.0.1:0
          store: embedded
        """

    static func running(_ status: AppStatus) -> Bool {
        status.phase == "running" && status.services.allSatisfy { $0.availableReplicas == $0.desiredReplicas }
    }

    /// Returns whether no process of any of the groups remains.
    static func allGone(_ groups: Set<Int32>) -> Bool {
        groups.allSatisfy { kill(-$0, 0) == -1 && errno == ESRCH }
    }

    @Test func downStopsEverythingInOrder() async throws {
        let up = try await UpProcess.start(Self.twoServices)
        _ = try await up.waitFor("both services running", Self.running)
        let groups = up.knownGroups
        #expect(groups.count == 4)
        _ = try await up.waitForLine { $0.contains("stratus rollout restart SERVICE") }
        #expect(up.lines.contains("pair is ready."))

        let down = try ProcessRun(["down", "--state-dir", up.stateDirectory])
        #expect(await down.finish() == 0, "stratus down: \(down.standardError)")
        #expect(down.standardOutput.contains("stopped pair"))
        #expect(await up.waitForExit(within: .seconds(30)) == 0)
        #expect(Self.allGone(groups))
        #expect(!FileManager.default.fileExists(atPath: up.stateDirectory + "/up.json"))
        #expect(FileManager.default.fileExists(atPath: up.stateDirectory + "/store.db"))

        // front depends on back: front's replicas stop first.
        _ = try await up.waitForLine { $0.hasSuffix("| stopped") }
        let lines = up.lines
        let frontStop = lines.firstIndex { $0.hasPrefix("front-") && $0.contains("shutdown started") }
        let backStop = lines.firstIndex { $0.hasPrefix("back-") && $0.contains("shutdown started") }
        let frontStopped = try #require(frontStop)
        let backStopped = try #require(backStop)
        #expect(frontStopped < backStopped)
        let frontStart = lines.firstIndex { $0.hasPrefix("front-") }
        let backReady = lines.firstIndex { $0.hasPrefix("back-") }
        let frontStarted = try #require(frontStart)
        let backStarted = try #require(backReady)
        #expect(backStarted < frontStarted)
    }

    @Test func interruptStopsEverything() async throws {
        let up = try await UpProcess.start(Self.twoServices)
        _ = try await up.waitFor("both services running", Self.running)
        let groups = up.knownGroups
        #expect(groups.count == 4)
        #expect(await up.stop(SIGINT) == 0)
        #expect(Self.allGone(groups))
        _ = try await up.waitForLine { $0.contains("stopping (interrupted)") }
    }

    @Test func crashingServiceBacksOff() async throws {
        let spec = """
            name: crashy
            services:
              - name: crasher
                command: /bin/sh
                arguments: [-c, "echo crashing at start; exit 3"]
                registers: false
                health: {enabled: false}
            controlPlane:
              listen: 127.0.0.1:0
              store: memory
            """
        let up = try await UpProcess.start(spec, arguments: ["--backoff-unit", "20ms"])
        let status = try await up.waitFor("six restarts", within: .seconds(30)) { $0.services[0].replicas.first.map { $0.restarts >= 6 } ?? false }
        let replica = try #require(status.services[0].replicas.first)
        // 1, 2, 4, 8, 10, 10 units of 20 ms.
        #expect(Array(replica.backoffDelays.prefix(6)) == [0.02, 0.04, 0.08, 0.16, 0.2, 0.2])
        #expect(replica.lastExit == "exit status 3")
        let looping = try await up.waitFor("the crash-looping state") { $0.services[0].crashLooping }
        #expect(looping.services[0].replicas[0].state == "crash-looping")
        let notice = try await up.waitForLine { $0.contains("crasher-1 exited with exit status 3; restarting in") && $0.contains("crash-looping") }
        #expect(notice.hasSuffix("(crash-looping)"))

        let logs = try ProcessRun(["logs", "crasher", "--state-dir", up.stateDirectory, "--since", "1m"])
        #expect(await logs.finish() == 0, "stratus logs: \(logs.standardError)")
        #expect(logs.standardOutput.contains("crasher-1 | crashing at start"))
        #expect(logs.standardOutput.contains("crasher-1 | stratus: pid"))
        #expect(await up.stop() == 0)
    }

    @Test func failingLivenessRestartsReplica() async throws {
        let spec = """
            name: sick
            services:
              - name: replica-probe
                command: "{{probe}}"
                environment:
                  REPLICA_PROBE_SERVER_DRAINPERIOD: 0s
                health: {livenessPath: /missing, period: 100ms, failureThreshold: 3, startupGrace: 500ms}
                terminationGracePeriod: 2s
            controlPlane:
              listen: 127.0.0.1:0
              store: memory
            """
        let up = try await UpProcess.start(spec)
        let status = try await up.waitFor("a restart after failed liveness probes") { $0.services[0].restarts >= 1 }
        let replica = try #require(status.services[0].replicas.first)
        // The kit exits 0 after SIGTERM, so the exit is the graceful one.
        #expect(replica.lastExit == "exit status 0")
        let notice = try await up.waitForLine { $0.contains("replica-probe-1 failed its liveness probe") }
        #expect(notice.hasSuffix("times in a row; restarting it"))
        #expect(await up.stop() == 0)
    }

    @Test func statusShowsReplicas() async throws {
        let up = try await UpProcess.start(Self.twoServices)
        _ = try await up.waitFor("both services running", Self.running)
        let table = try ProcessRun(["status", "--state-dir", up.stateDirectory])
        #expect(await table.finish() == 0, "stratus status: \(table.standardError)")
        #expect(table.standardOutput.contains("back     2/2    2          2           0         complete"))
        #expect(table.standardOutput.contains("front-1"))
        let json = try ProcessRun(["status", "--output", "json", "--state-dir", up.stateDirectory])
        #expect(await json.finish() == 0)
        let status = try JSONDecoder().decode(AppStatus.self, from: Data(json.standardOutput.utf8))
        #expect(status.services.flatMap(\.replicas).count == 4)
        for replica in status.services.flatMap(\.replicas) {
            #expect(replica.pid != nil)
            #expect(replica.state == "ready")
            #expect(replica.restarts == 0)
            #expect(replica.endpoint.hasPrefix("127.0.0.1:"))
        }

        let scale = try ProcessRun(["scale", "back", "--replicas", "3", "--state-dir", up.stateDirectory])
        #expect(await scale.finish() == 0, "stratus scale: \(scale.standardError)")
        try await up.waitFor("3 back replicas") { $0.services.first { $0.name == "back" }?.availableReplicas == 3 }
        #expect(await up.stop() == 0)
    }
}
