import Foundation
import StratusControlPlane
import StratusOrchestrator
import Testing

/// The autoscaler of `stratus up` on real CPU load.
@Suite struct UpAutoscaleTests {
    static let spec = """
        name: burner
        services:
          - name: replica-probe
            command: "{{probe}}"
            replicas: 1
            environment:
              REPLICA_PROBE_SERVER_DRAINPERIOD: 100ms
              REPLICA_PROBE_LOG_ACCESSLOG: "false"
            health: {period: 100ms, startupGrace: 10s}
            autoscale: {min: 1, max: 3, targetCPUPercent: 30, scaleDownStabilization: 3s}
            drainPeriod: 200ms
        autoscaler:
          syncPeriod: 500ms
        controlPlane:
          listen: 127.0.0.1:0
          store: memory
        """

    /// Parses an RFC 3339 time with milliseconds, as the orchestrator writes them.
    static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    @Test func scalesOutUnderLoadAndBackIn() async throws {
        let up = try await UpProcess.start(Self.spec)
        try await up.waitFor("one available replica") { $0.services[0].availableReplicas == 1 }
        let load = try LoadGenerator(controlPlane: up.client.baseURL, service: "replica-probe")
        load.start(path: "/burn?ms=40", concurrency: 3)
        let scaledOut = try await up.waitFor("a scale-out", within: .seconds(60)) { $0.services[0].desiredReplicas >= 2 }
        let firstEvent = try #require(scaledOut.services[0].autoscale?.events.first)
        #expect(firstEvent.from == 1)
        #expect(firstEvent.to >= 2)
        #expect(firstEvent.reason.contains("above target"))
        try await up.waitFor("the new replicas available") { $0.services[0].availableReplicas == $0.services[0].desiredReplicas }
        await load.stop()

        let scaledIn = try await up.waitFor("a scale-in to 1", within: .seconds(60)) { $0.services[0].desiredReplicas == 1 }
        let events = try #require(scaledIn.services[0].autoscale?.events)
        let lastOut = try #require(events.last { $0.to > $0.from })
        let scaleIn = try #require(events.last)
        #expect(scaleIn.to == 1)
        #expect(scaleIn.reason.contains("below target"))
        // The stabilization window (3 s) keeps the count after the load
        // stops. Event times have whole seconds.
        let heldSeconds = try #require(Self.isoDate(scaleIn.time)).timeIntervalSince(try #require(Self.isoDate(lastOut.time)))
        #expect(heldSeconds >= 2)
        try await up.waitFor("one replica left") { $0.services[0].replicas.count == 1 }
        #expect(load.failed == 0, "failed requests: \(load.failures)")
        #expect(await up.stop() == 0)
    }
}
