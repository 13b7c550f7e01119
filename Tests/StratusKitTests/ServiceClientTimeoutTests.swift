import StratusHTTP
import StratusKit
import StratusNet
import Synchronization
import Testing

@Suite struct ServiceClientTimeoutTests {
    @Test func slowInstanceIsAbandonedAfterPerTryTimeout() async throws {
        let gate = Gate()
        let slow = try await TestInstance.start { _ in
            await gate.wait()
            return Response.text("late")
        }
        let fast = try await TestInstance.start(status: .ok, body: "fast")
        let client = try makeClient([slow.endpoint, fast.endpoint], configuration: testConfiguration(perTryTimeout: .seconds(1)))

        let response = try await client.send(ServiceRequest(path: "/v1/users/alice"))
        #expect(String(decoding: response.body, as: UTF8.self) == "fast")
        #expect(response.attempts == 2)
        #expect(slow.requestCount == 1)

        gate.open()
        client.shutdown()
        await slow.stop()
        await fast.stop()
    }

    @Test func totalTimeoutEndsCall() async throws {
        let gate = Gate()
        let slow = try await TestInstance.start { _ in
            await gate.wait()
            return Response.text("late")
        }
        let client = try makeClient([slow.endpoint], configuration: testConfiguration(perTryTimeout: .seconds(5), totalTimeout: .milliseconds(300)))

        let error = await #expect(throws: ServiceClientError.self) {
            try await client.send(ServiceRequest(path: "/v1/users/alice"))
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(error?.attempts == 1)
        #expect(error?.message.contains("GET /v1/users/alice on iam-apiserver") == true, "\(error?.message ?? "")")

        gate.open()
        client.shutdown()
        await slow.stop()
    }

    @Test func deadlineHeaderCarriesRemainingBudget() async throws {
        let instance = try await TestInstance.start(status: .ok)
        let client = try makeClient([instance.endpoint], configuration: testConfiguration(perTryTimeout: .seconds(20), totalTimeout: .seconds(60)))

        _ = try await client.send(ServiceRequest(path: "/v1/users"))
        _ = try await withDeadline(after: .seconds(10)) {
            try await client.send(ServiceRequest(path: "/v1/users"))
        }

        let values = instance.requests.map { $0.headers[DeadlineHeader.name].flatMap { Int($0) } }
        #expect(values.count == 2)
        let perTry = try #require(values[0])
        #expect(perTry > 0)
        #expect(perTry <= 20_000, "an attempt sends at most the per-try timeout")
        let capped = try #require(values[1])
        #expect(capped > 0)
        #expect(capped <= 10_000, "an attempt sends at most the caller's remaining deadline")

        client.shutdown()
        await instance.stop()
    }

    @Test func handlerBehindMiddlewareSeesPropagatedDeadline() async throws {
        let seen = Mutex<Duration?>(nil)
        let router = Router()
        router.add(middleware: DeadlineMiddleware())
        router.get("/v1/users/:name") { _, _ in
            seen.withLock { $0 = Deadline.current?.remaining }
            return Response.text("ok")
        }
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: router.buildResponder(), group: KitTestGroup.shared, logger: quietLogger
        )
        try await server.start()
        let port = try #require(server.localAddress?.port)
        let client = try makeClient(["127.0.0.1:\(port)"])

        let response = try await withDeadline(after: .seconds(15)) {
            try await client.send(ServiceRequest(path: "/v1/users/alice"))
        }
        #expect(response.status == .ok)
        let remaining = try #require(seen.withLock { $0 })
        #expect(remaining > .zero)
        #expect(remaining <= .seconds(15))

        client.shutdown()
        await server.shutdown(gracePeriod: .milliseconds(200))
    }

    @Test func passedDeadlineFailsBeforeSending() async throws {
        let instance = try await TestInstance.start(status: .ok)
        let client = try makeClient([instance.endpoint])

        let error = await #expect(throws: ServiceClientError.self) {
            try await withDeadline(Deadline(uptimeNanoseconds: 0)) {
                try await client.send(ServiceRequest(path: "/v1/users"))
            }
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(instance.requestCount == 0)

        client.shutdown()
        await instance.stop()
    }
}
