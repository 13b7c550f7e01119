import Testing
import StratusDiscovery
import StratusTelemetry
@testable import StratusControlPlane
@testable import StratusStore

/// The health checker over an in-memory store, with a scripted probe and a
/// manual clock. Every probe is due at whole seconds (no jitter), and the
/// probes of one instance run one after another, so when call N has been
/// made, results 1 to N-1 are handled, status writes included.
@Suite struct HealthCheckerTests {
    static let service = "iam-apiserver"

    /// A checker under test, with what it runs against.
    struct Fixture {
        let store: EmbeddedStore
        let registry: Registry
        let clock = ManualClock()
        let probe = ScriptedProbe()
        let metrics = MetricsRegistry()
        let checker: HealthChecker

        init(store: any KeyValueStore, base: EmbeddedStore) {
            self.store = base
            registry = Registry(store: store)
            checker = HealthChecker(
                registry: registry,
                logger: quietLogger,
                metrics: metrics,
                probe: probe.probe,
                clock: clock,
                jitter: { _ in .zero }
            )
        }

        init() throws {
            let store = try makeMemoryStore()
            self.init(store: store, base: store)
        }

        func register(_ id: String, status: InstanceStatus = .up, check: HealthCheck?) async throws {
            var checked = instance(id, service: HealthCheckerTests.service)
            checked.status = status
            checked.healthCheck = check
            _ = try await registry.register(RegistrationRequest(instance: checked, ttlSeconds: 300))
        }

        /// Waits until the checker has applied every registry change so far.
        func waitUntilSynced() async throws {
            let revision = try await registry.services().revision
            try await within("the checker to apply revision \(revision)") {
                await checker.watermark.wait(until: revision)
            }
        }

        func waitForCalls(of id: String, count: Int) async throws {
            try await within("probe \(count) of instance \(id)") {
                await probe.waitForCalls(of: id, count: count)
            }
        }

        func status(of id: String) async throws -> InstanceStatus? {
            try await StratusControlPlaneTests.status(of: id, service: HealthCheckerTests.service, in: registry)
        }

        func waitForStatus(_ status: InstanceStatus, of id: String) async throws {
            try await StratusControlPlaneTests.waitForStatus(status, of: id, service: HealthCheckerTests.service, in: registry)
        }

        func counter(_ name: String, _ dimensions: [(String, String)]) -> Int64 {
            Counter(label: name, dimensions: [("service", HealthCheckerTests.service)] + dimensions, registry: metrics).value
        }
    }

    static func check(success: Int = 1, failure: Int = 1) -> HealthCheck {
        HealthCheck(path: "/healthz", periodSeconds: 1, timeoutSeconds: 1, successThreshold: success, failureThreshold: failure)
    }

    @Test func failuresMarkDownThenPassesMarkUp() async throws {
        let fixture = try Fixture()
        try await fixture.register("a", check: Self.check(success: 2, failure: 3))
        fixture.probe.set(.failed(reason: "status 503"), for: "a")
        let run = Task { await fixture.checker.run() }

        try await fixture.waitForCalls(of: "a", count: 1)
        fixture.clock.advance(by: .seconds(1))
        try await fixture.waitForCalls(of: "a", count: 2)
        fixture.probe.hold("a")
        fixture.clock.advance(by: .seconds(1))
        try await fixture.waitForCalls(of: "a", count: 3)
        #expect(try await fixture.status(of: "a") == .up, "two failures of three must not mark the instance DOWN")
        fixture.probe.release("a")
        try await fixture.waitForStatus(.down, of: "a")
        #expect(fixture.counter(HealthCheckMetrics.transitionsName, [("status", "DOWN")]) == 1)

        fixture.probe.set(.passed, for: "a")
        fixture.clock.advance(by: .seconds(1))
        try await fixture.waitForCalls(of: "a", count: 4)
        fixture.probe.hold("a")
        fixture.clock.advance(by: .seconds(1))
        try await fixture.waitForCalls(of: "a", count: 5)
        #expect(try await fixture.status(of: "a") == .down, "one pass of two must not mark the instance UP")
        fixture.probe.release("a")
        try await fixture.waitForStatus(.up, of: "a")

        run.cancel()
        await run.value
        #expect(fixture.counter(HealthCheckMetrics.probesName, [("result", "fail")]) == 3)
        #expect(fixture.counter(HealthCheckMetrics.probesName, [("result", "pass")]) == 2)
        #expect(fixture.counter(HealthCheckMetrics.transitionsName, [("status", "UP")]) == 1)
        await fixture.store.close()
    }

    @Test func downInstanceComesUp() async throws {
        let fixture = try Fixture()
        try await fixture.register("a", status: .down, check: Self.check(success: 1))
        let run = Task { await fixture.checker.run() }
        try await fixture.waitForStatus(.up, of: "a")
        #expect(fixture.probe.calls(of: "a") == 1)
        run.cancel()
        await run.value
        await fixture.store.close()
    }

    @Test func deregisteredInstanceIsNotProbed() async throws {
        let fixture = try Fixture()
        try await fixture.register("a", check: Self.check())
        try await fixture.register("b", check: Self.check())
        let run = Task { await fixture.checker.run() }
        try await fixture.waitForCalls(of: "a", count: 1)
        try await fixture.waitForCalls(of: "b", count: 1)

        try await fixture.registry.deregister(service: Self.service, id: "b")
        try await fixture.waitUntilSynced()
        for round in 2...3 {
            fixture.clock.advance(by: .seconds(1))
            try await fixture.waitForCalls(of: "a", count: round)
        }
        #expect(fixture.probe.calls(of: "b") == 1)

        run.cancel()
        await run.value
        await fixture.store.close()
    }

    @Test func drainingInstanceIsLeftAlone() async throws {
        let fixture = try Fixture()
        try await fixture.register("a", check: Self.check(failure: 2))
        try await fixture.register("d", check: Self.check(failure: 2))
        fixture.probe.set(.failed(reason: "status 503"), for: "a")
        fixture.probe.set(.failed(reason: "status 503"), for: "d")
        let run = Task { await fixture.checker.run() }
        try await fixture.waitForCalls(of: "d", count: 1)

        try await fixture.registry.setStatus(service: Self.service, id: "d", status: .draining)
        try await fixture.waitUntilSynced()
        for round in 2...3 {
            fixture.clock.advance(by: .seconds(1))
            try await fixture.waitForCalls(of: "a", count: round)
        }
        try await fixture.waitForStatus(.down, of: "a")
        #expect(fixture.probe.calls(of: "d") == 1)
        #expect(try await fixture.status(of: "d") == .draining)

        run.cancel()
        await run.value
        await fixture.store.close()
    }

    @Test func drainingAtStartIsNotProbed() async throws {
        let fixture = try Fixture()
        try await fixture.register("a", check: Self.check())
        try await fixture.register("d", status: .draining, check: Self.check())
        let run = Task { await fixture.checker.run() }
        try await fixture.waitForCalls(of: "a", count: 1)
        fixture.clock.advance(by: .seconds(1))
        try await fixture.waitForCalls(of: "a", count: 2)
        #expect(fixture.probe.calls(of: "d") == 0)

        try await fixture.registry.setStatus(service: Self.service, id: "d", status: .up)
        try await fixture.waitForCalls(of: "d", count: 1)
        run.cancel()
        await run.value
        await fixture.store.close()
    }

    @Test func instancesWithoutCheckAreNotProbed() async throws {
        let fixture = try Fixture()
        try await fixture.register("a", check: Self.check())
        try await fixture.register("plain", check: nil)
        var secure = instance("tls", service: Self.service)
        secure.scheme = "https"
        secure.healthCheck = Self.check()
        _ = try await fixture.registry.register(RegistrationRequest(instance: secure, ttlSeconds: 300))
        let run = Task { await fixture.checker.run() }
        try await fixture.waitForCalls(of: "a", count: 1)
        fixture.clock.advance(by: .seconds(1))
        try await fixture.waitForCalls(of: "a", count: 2)
        #expect(fixture.probe.calls(of: "plain") == 0)
        #expect(fixture.probe.calls(of: "tls") == 0)
        run.cancel()
        await run.value
        await fixture.store.close()
    }

    @Test func resyncReplacesProbedSet() async throws {
        let base = try makeMemoryStore()
        let store = CompactingWatchStore(base: base)
        let fixture = Fixture(store: store, base: base)
        try await fixture.register("a", check: Self.check())
        try await fixture.register("b", check: Self.check())
        let run = Task { await fixture.checker.run() }
        try await fixture.waitUntilSynced()
        try await fixture.waitForCalls(of: "a", count: 1)
        try await fixture.waitForCalls(of: "b", count: 1)

        // The watch is held back, so the checker learns of these changes
        // only from the resync that follows its failure.
        try await fixture.registry.deregister(service: Self.service, id: "b")
        try await fixture.register("c", check: Self.check())
        store.releaseWatch()
        try await fixture.waitUntilSynced()
        try await fixture.waitForCalls(of: "c", count: 1)
        for round in 2...3 {
            fixture.clock.advance(by: .seconds(1))
            try await fixture.waitForCalls(of: "a", count: round)
        }
        #expect(fixture.probe.calls(of: "b") == 1)

        run.cancel()
        await run.value
        await base.close()
    }

    @Test func newCheckRestartsProbing() async throws {
        let fixture = try Fixture()
        try await fixture.register("a", check: Self.check(failure: 2))
        fixture.probe.set(.failed(reason: "status 503"), for: "a")
        let run = Task { await fixture.checker.run() }
        try await fixture.waitForCalls(of: "a", count: 1)

        // Registering again with another check starts the count afresh.
        try await fixture.register("a", check: Self.check(failure: 3))
        try await fixture.waitUntilSynced()
        try await fixture.waitForCalls(of: "a", count: 2)
        fixture.clock.advance(by: .seconds(1))
        try await fixture.waitForCalls(of: "a", count: 3)
        fixture.probe.hold("a")
        fixture.clock.advance(by: .seconds(1))
        try await fixture.waitForCalls(of: "a", count: 4)
        #expect(try await fixture.status(of: "a") == .up, "the failure before the new check must not count")
        fixture.probe.release("a")
        try await fixture.waitForStatus(.down, of: "a")

        run.cancel()
        await run.value
        await fixture.store.close()
    }

    @Test func cancelledRunStopsProbing() async throws {
        let fixture = try Fixture()
        try await fixture.register("a", check: Self.check())
        let run = Task { await fixture.checker.run() }
        try await fixture.waitForCalls(of: "a", count: 1)
        run.cancel()
        await run.value
        fixture.clock.advance(by: .seconds(5))
        #expect(fixture.probe.calls(of: "a") == 1)
        await fixture.store.close()
    }
}
