import Testing
import StratusDiscovery
@testable import StratusControlPlane

@Suite struct HTTPHealthProbeTests {
    /// Returns a probe target. The timeout is long by default, so that a
    /// loaded machine cannot fail a probe that should pass.
    static func target(port: Int, path: String, checkPort: Int? = nil, timeoutSeconds: Int = 30) -> (ServiceInstance, HealthCheck) {
        let check = HealthCheck(path: path, port: checkPort, periodSeconds: 60, timeoutSeconds: timeoutSeconds)
        var probed = instance("a", port: port)
        probed.healthCheck = check
        return (probed, check)
    }

    @Test func urlUsesCheckPort() {
        let (probed, check) = Self.target(port: 8080, path: "/healthz", checkPort: 9090)
        #expect(HTTPHealthProbe.url(of: probed, check: check) == "http://127.0.0.1:9090/healthz")
        let (plain, plainCheck) = Self.target(port: 8080, path: "/ready")
        #expect(HTTPHealthProbe.url(of: plain, check: plainCheck) == "http://127.0.0.1:8080/ready")
    }

    @Test func urlBracketsIPv6() {
        var (probed, check) = Self.target(port: 8080, path: "/healthz")
        probed.address = "::1"
        #expect(HTTPHealthProbe.url(of: probed, check: check) == "http://[::1]:8080/healthz")
    }

    @Test func statusDecidesOutcome() async throws {
        let server = try await HealthTarget.start()
        let probe = HTTPHealthProbe()
        let healthy = Self.target(port: server.port, path: "/healthz")
        #expect(await probe.probe(healthy.0, healthy.1) == .passed)
        let moved = Self.target(port: server.port, path: "/moved")
        #expect(await probe.probe(moved.0, moved.1) == .passed)
        let missing = Self.target(port: server.port, path: "/missing")
        #expect(await probe.probe(missing.0, missing.1) == .failed(reason: "status 404"))
        server.healthy = false
        #expect(await probe.probe(healthy.0, healthy.1) == .failed(reason: "status 503"))
        await server.stop()
    }

    @Test func checkPortIsProbed() async throws {
        let server = try await HealthTarget.start()
        let (probed, check) = Self.target(port: 1, path: "/healthz", checkPort: server.port)
        #expect(await HTTPHealthProbe().probe(probed, check) == .passed)
        await server.stop()
    }

    @Test func refusedConnectionFails() async throws {
        let server = try await HealthTarget.start()
        let port = server.port
        await server.stop()
        let (probed, check) = Self.target(port: port, path: "/healthz")
        let outcome = await HTTPHealthProbe().probe(probed, check)
        guard case .failed(let reason) = outcome else {
            Issue.record("a probe of a closed port passed")
            return
        }
        #expect(!reason.hasPrefix("status"), "the reason should be the connection error: \(reason)")
    }

    @Test func slowResponseFails() async throws {
        let server = try await HealthTarget.start()
        let (probed, check) = Self.target(port: server.port, path: "/slow", timeoutSeconds: 1)
        let outcome = await HTTPHealthProbe().probe(probed, check)
        guard case .failed(let reason) = outcome else {
            Issue.record("a probe of an endpoint slower than the timeout passed")
            await server.stop()
            return
        }
        #expect(reason.lowercased().contains("timed"), "the reason should name the timeout: \(reason)")
        await server.stop()
    }

    @Test func cancelledProbeFails() async throws {
        let server = try await HealthTarget.start()
        let (probed, check) = Self.target(port: server.port, path: "/slow")
        let probe = HTTPHealthProbe()
        let task = Task { await probe.probe(probed, check) }
        task.cancel()
        #expect(await task.value == .failed(reason: "cancelled"))
        await server.stop()
    }
}
