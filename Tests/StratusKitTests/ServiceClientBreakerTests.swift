import StratusHTTP
import StratusKit
import StratusResilience
import StratusTelemetry
import Testing

@Suite struct ServiceClientBreakerTests {
    @Test func openBreakerStopsTrafficToFailingInstance() async throws {
        let failing = try await TestInstance.start(status: .internalServerError)
        let healthy = try await TestInstance.start(status: .ok)
        var configuration = testConfiguration(maxAttempts: 1)
        configuration.circuitBreaker = .init(consecutiveFailures: 3, openDuration: .seconds(60))
        let metrics = MetricsRegistry()
        let client = try makeClient([failing.endpoint, healthy.endpoint], configuration: configuration, metrics: metrics)

        var statuses: [Int] = []
        for _ in 0..<20 {
            statuses.append(try await client.send(ServiceRequest(path: "/v1/users")).status.code)
        }
        #expect(failing.requestCount == 3, "the breaker opens after 3 failures in a row")
        #expect(healthy.requestCount == 17)
        #expect(statuses.filter { $0 == 500 }.count == 3)
        #expect(Array(statuses.suffix(14)).allSatisfy { $0 == 200 })
        guard case .open = client.breakerPhase(of: failing.endpoint) else {
            Issue.record("the failing instance's breaker should be open: \(String(describing: client.breakerPhase(of: failing.endpoint)))")
            return
        }
        #expect(client.breakerPhase(of: healthy.endpoint) == .closed)
        #expect(counterValue("stratus_service_client_breaker_opened_total", in: metrics) == 1)
        #expect(counterValue("stratus_service_client_breaker_rejections_total", in: metrics) >= 1)

        client.shutdown()
        await failing.stop()
        await healthy.stop()
    }

    @Test func allBreakersOpenGivesCircuitOpenError() async throws {
        let failing = try await TestInstance.start(status: .serviceUnavailable)
        var configuration = testConfiguration(maxAttempts: 1)
        configuration.circuitBreaker = .init(consecutiveFailures: 2, openDuration: .seconds(60))
        let client = try makeClient([failing.endpoint], configuration: configuration)

        for _ in 0..<2 {
            _ = try await client.send(ServiceRequest(path: "/v1/users"))
        }
        let error = await #expect(throws: ServiceClientError.self) {
            try await client.send(ServiceRequest(path: "/v1/users"))
        }
        #expect(error?.code == .circuitOpen)
        #expect(error?.message.contains("status 503") == true, "the message gives the latest failure: \(error?.message ?? "")")
        #expect(failing.requestCount == 2)

        client.shutdown()
        await failing.stop()
    }

    @Test func breakerProbesAgainAfterOpenDuration() async throws {
        let clock = ManualClock()
        let failing = try await TestInstance.start(status: .serviceUnavailable)
        var configuration = testConfiguration(maxAttempts: 1)
        configuration.circuitBreaker = .init(consecutiveFailures: 1, openDuration: .seconds(10))
        let client = try ServiceClient(
            service: "iam-apiserver", endpoints: [failing.endpoint], configuration: configuration,
            metrics: MetricsRegistry(), logger: quietLogger, clock: clock.clock
        )

        _ = try await client.send(ServiceRequest(path: "/v1/users"))
        await #expect(throws: ServiceClientError.self) {
            try await client.send(ServiceRequest(path: "/v1/users"))
        }
        clock.advance(by: .seconds(10))
        let probe = try await client.send(ServiceRequest(path: "/v1/users"))
        #expect(probe.status == .serviceUnavailable, "the half-open breaker lets one probe through")
        #expect(failing.requestCount == 2)

        client.shutdown()
        await failing.stop()
    }
}
