import StratusControlPlane
import StratusDiscovery
import StratusHTTP
import StratusKit
import StratusTelemetry
import Testing

@Suite struct ServiceClientDiscoveryTests {
    @Test func callsReachRegisteredInstancesAndSpread() async throws {
        let (controlPlane, controlPlaneClient) = try await startControlPlane()
        let first = try await TestInstance.start(status: .ok, body: "first")
        let second = try await TestInstance.start(status: .ok, body: "second")
        try await register(first, as: "apiserver-1", of: "iam-apiserver", with: controlPlaneClient)
        try await register(second, as: "apiserver-2", of: "iam-apiserver", with: controlPlaneClient)
        var configuration = testConfiguration()
        configuration.loadBalancing = .roundRobin
        let client = ServiceClient(
            service: "iam-apiserver", controlPlane: controlPlaneClient, configuration: configuration,
            metrics: MetricsRegistry(), logger: quietLogger
        )

        var servedBy: [String: Int] = [:]
        for _ in 0..<10 {
            let response = try await client.send(ServiceRequest(path: "/v1/users"))
            #expect(response.status == .ok)
            servedBy[response.instance.id, default: 0] += 1
        }
        #expect(servedBy == ["apiserver-1": 5, "apiserver-2": 5])
        #expect(first.requestCount == 5)
        #expect(second.requestCount == 5)

        client.shutdown()
        await first.stop()
        await second.stop()
        await controlPlane.shutdown(gracePeriod: .milliseconds(200))
    }

    @Test func defaultPolicyReachesRegisteredInstance() async throws {
        let (controlPlane, controlPlaneClient) = try await startControlPlane()
        let instance = try await TestInstance.start(status: .ok, body: "only")
        try await register(instance, as: "apiserver-1", of: "iam-apiserver", with: controlPlaneClient)
        let client = ServiceClient(service: "iam-apiserver", controlPlane: controlPlaneClient, metrics: MetricsRegistry(), logger: quietLogger)

        let response = try await client.send(ServiceRequest(path: "/v1/users"))
        #expect(String(decoding: response.body, as: UTF8.self) == "only")

        client.shutdown()
        await instance.stop()
        await controlPlane.shutdown(gracePeriod: .milliseconds(200))
    }

    @Test func unregisteredServiceGivesNoInstancesError() async throws {
        let (controlPlane, controlPlaneClient) = try await startControlPlane()
        let client = ServiceClient(service: "iam-authz", controlPlane: controlPlaneClient, metrics: MetricsRegistry(), logger: quietLogger)

        let error = await #expect(throws: ServiceClientError.self) {
            try await client.send(ServiceRequest(path: "/v1/authz"))
        }
        #expect(error?.code == .noInstances)
        #expect(error?.service == "iam-authz")
        #expect(error?.message.contains("iam-authz") == true)
        #expect(error?.message.contains("registered") == true, "the message says what to check: \(error?.message ?? "")")

        client.shutdown()
        await controlPlane.shutdown(gracePeriod: .milliseconds(200))
    }

    @Test func factoryCachesOneClientPerService() async throws {
        let (controlPlane, controlPlaneClient) = try await startControlPlane()
        let discovered = try await TestInstance.start(status: .ok, body: "discovered")
        let local = try await TestInstance.start(status: .ok, body: "static")
        try await register(discovered, as: "apiserver-1", of: "iam-apiserver", with: controlPlaneClient)
        let clients = try ServiceClients(
            controlPlane: controlPlaneClient, staticEndpoints: ["iam-authz": [local.endpoint]],
            configuration: testConfiguration(), metrics: MetricsRegistry(), logger: quietLogger
        )

        let apiserver = clients.client(for: "iam-apiserver")
        #expect(apiserver === clients.client(for: "iam-apiserver"))
        let fromDiscovery = try await apiserver.send(ServiceRequest(path: "/v1/users"))
        #expect(String(decoding: fromDiscovery.body, as: UTF8.self) == "discovered")
        let fromList = try await clients.client(for: "iam-authz").send(ServiceRequest(path: "/v1/authz"))
        #expect(String(decoding: fromList.body, as: UTF8.self) == "static")

        await clients.shutdown()
        let error = await #expect(throws: ServiceClientError.self) {
            try await apiserver.send(ServiceRequest(path: "/v1/users"))
        }
        #expect(error?.code == .shutDown)
        let late = await #expect(throws: ServiceClientError.self) {
            try await clients.client(for: "iam-pump").send(ServiceRequest(path: "/v1/pump"))
        }
        #expect(late?.code == .shutDown)

        await discovered.stop()
        await local.stop()
        await controlPlane.shutdown(gracePeriod: .milliseconds(200))
    }

    @Test func factoryWithoutControlPlaneNamesMissingEndpoints() async throws {
        let clients = try ServiceClients(controlPlane: nil, metrics: MetricsRegistry(), logger: quietLogger)
        let error = await #expect(throws: ServiceClientError.self) {
            try await clients.client(for: "iam-apiserver").send(ServiceRequest(path: "/v1/users"))
        }
        #expect(error?.code == .noInstances)
        #expect(error?.message.contains("no endpoints") == true, "\(error?.message ?? "")")
        await clients.shutdown()
    }

    @Test(arguments: ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "::1:8080", ":8080", "host:port", "127.0.0.1:80/x"])
    func invalidStaticEndpointIsRejected(endpoint: String) {
        let error = #expect(throws: ServiceClientError.self) {
            try ServiceClients(controlPlane: nil, staticEndpoints: ["iam-apiserver": [endpoint]], metrics: MetricsRegistry())
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("\"\(endpoint)\"") == true, "\(error?.message ?? "")")
    }

    @Test func staticEndpointsAcceptIPv6AndScheme() throws {
        let client = try makeClient(["[::1]:8080", "http://127.0.0.1:9090"])
        client.shutdown()
        #expect(throws: ServiceClientError.self) {
            try makeClient(["127.0.0.1:8080", "127.0.0.1:8080"])
        }
    }
}
