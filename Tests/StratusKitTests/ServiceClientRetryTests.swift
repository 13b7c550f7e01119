import StratusDiscovery
import StratusHTTP
import StratusKit
import StratusResilience
import StratusTelemetry
import Testing

@Suite struct ServiceClientRetryTests {
    @Test func getRetriesOn503ElsewhereAndSucceeds() async throws {
        let failing = try await TestInstance.start(status: .serviceUnavailable)
        let healthy = try await TestInstance.start(status: .ok, body: "from healthy")
        let metrics = MetricsRegistry()
        let client = try makeClient([failing.endpoint, healthy.endpoint], metrics: metrics)

        let response = try await client.send(ServiceRequest(path: "/v1/users/alice"))
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "from healthy")
        #expect(response.attempts == 2)
        #expect(response.instance.id == healthy.endpoint)
        #expect(failing.requestCount == 1)
        #expect(healthy.requestCount == 1)
        #expect(counterValue("stratus_service_client_retries_total", in: metrics) == 1)
        #expect(counterValue("stratus_service_client_requests_total", in: metrics, extra: [("method", "GET"), ("status_class", "2xx")]) == 1)

        client.shutdown()
        await failing.stop()
        await healthy.stop()
    }

    @Test func postIsNotRetried() async throws {
        let failing = try await TestInstance.start(status: .serviceUnavailable)
        let healthy = try await TestInstance.start(status: .ok)
        let client = try makeClient([failing.endpoint, healthy.endpoint])

        let response = try await client.send(ServiceRequest(method: .post, path: "/v1/users", body: Array("{}".utf8)))
        #expect(response.status == .serviceUnavailable, "the last response is returned when retries stop")
        #expect(response.attempts == 1)
        #expect(failing.requestCount == 1)
        #expect(healthy.requestCount == 0)

        client.shutdown()
        await failing.stop()
        await healthy.stop()
    }

    @Test(arguments: [
        ServiceRequest(method: .post, path: "/v1/users", headers: [ServiceRequest.idempotencyKeyHeader: "create-alice-1"]),
        ServiceRequest(method: .patch, path: "/v1/users/alice", isIdempotent: true),
    ])
    func idempotentOptInIsRetried(request: ServiceRequest) async throws {
        let failing = try await TestInstance.start(status: .badGateway)
        let healthy = try await TestInstance.start(status: .created)
        let client = try makeClient([failing.endpoint, healthy.endpoint])

        let response = try await client.send(request)
        #expect(response.status == .created)
        #expect(response.attempts == 2)
        #expect(healthy.requests.first?.method == request.method)

        client.shutdown()
        await failing.stop()
        await healthy.stop()
    }

    @Test func getMarkedNotIdempotentIsNotRetried() async throws {
        let failing = try await TestInstance.start(status: .serviceUnavailable)
        let healthy = try await TestInstance.start(status: .ok)
        let client = try makeClient([failing.endpoint, healthy.endpoint])

        let response = try await client.send(ServiceRequest(path: "/v1/reports", isIdempotent: false))
        #expect(response.status == .serviceUnavailable)
        #expect(healthy.requestCount == 0)

        client.shutdown()
        await failing.stop()
        await healthy.stop()
    }

    @Test func maxAttemptsIsRespected() async throws {
        let first = try await TestInstance.start(status: .serviceUnavailable)
        let second = try await TestInstance.start(status: .gatewayTimeout)
        let client = try makeClient([first.endpoint, second.endpoint], configuration: testConfiguration(maxAttempts: 4))

        let response = try await client.send(ServiceRequest(path: "/v1/users"))
        #expect(response.attempts == 4)
        #expect(first.requestCount + second.requestCount == 4)
        #expect(first.requestCount == 2, "a retry prefers the instance that did not fail last, then falls back")

        client.shutdown()
        await first.stop()
        await second.stop()
    }

    @Test func nonRetryableStatusIsReturnedAtOnce() async throws {
        let failing = try await TestInstance.start(status: .internalServerError)
        let healthy = try await TestInstance.start(status: .ok)
        let client = try makeClient([failing.endpoint, healthy.endpoint])

        let response = try await client.send(ServiceRequest(path: "/v1/users"))
        #expect(response.status == .internalServerError, "500 is not in the retryable statuses")
        #expect(response.attempts == 1)
        #expect(healthy.requestCount == 0)

        client.shutdown()
        await failing.stop()
        await healthy.stop()
    }

    @Test(arguments: [HTTPMethod.get, .post])
    func connectionRefusedIsRetriedElsewhere(method: HTTPMethod) async throws {
        let dead = try await deadEndpoint()
        let healthy = try await TestInstance.start(status: .ok)
        let client = try makeClient([dead, healthy.endpoint])

        let response = try await client.send(ServiceRequest(method: method, path: "/v1/users"))
        #expect(response.status == .ok)
        #expect(response.attempts == 2, "a request that never left is retried whatever its method")
        #expect(healthy.requestCount == 1)

        client.shutdown()
        await healthy.stop()
    }

    @Test func allConnectionsRefusedFailsNamingLastError() async throws {
        let dead = try await deadEndpoint()
        let client = try makeClient([dead], configuration: testConfiguration(maxAttempts: 2))

        let error = await #expect(throws: ServiceClientError.self) {
            try await client.send(ServiceRequest(path: "/v1/users"))
        }
        #expect(error?.code == .requestFailed)
        #expect(error?.attempts == 2)
        #expect(error?.message.contains("all 2 attempts") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(dead) == true, "the message names the endpoint: \(error?.message ?? "")")
        client.shutdown()
    }

    @Test func retryBudgetLimitsRetriesUnderFailures() async throws {
        let first = try await TestInstance.start(status: .serviceUnavailable)
        let second = try await TestInstance.start(status: .serviceUnavailable)
        var configuration = testConfiguration(maxAttempts: 2)
        configuration.retryBudget = .init(ratio: 0.1, minRetriesPerSecond: 0, window: .seconds(60))
        configuration.circuitBreaker = .init(consecutiveFailures: 1_000)
        let metrics = MetricsRegistry()
        let client = try makeClient([first.endpoint, second.endpoint], configuration: configuration, metrics: metrics)

        let calls = 50
        for _ in 0..<calls {
            let response = try await client.send(ServiceRequest(path: "/v1/users"))
            #expect(response.status == .serviceUnavailable)
        }
        let retries = counterValue("stratus_service_client_retries_total", in: metrics)
        let exhausted = counterValue("stratus_service_client_retry_budget_exhausted_total", in: metrics)
        #expect(retries <= Int64(calls) / 10, "retries stay within 10% of calls")
        #expect(retries >= 1)
        #expect(retries + exhausted == Int64(calls), "every call asked for one retry")
        #expect(first.requestCount + second.requestCount == calls + Int(retries))

        client.shutdown()
        await first.stop()
        await second.stop()
    }
}
