import StratusControlPlane
import StratusDiscovery
import StratusHTTP
import StratusTelemetry
import StratusTestSupport
import Testing
@testable import StratusKit

@Suite struct RegistrationTests {
    func makeApp(controlPlane: String, instanceID: String) throws -> ServiceApplication {
        var settings = testSettings(controlPlane: controlPlane)
        settings.controlPlane?.instanceID = instanceID
        settings.controlPlane?.labels = ["track": "stable"]
        return try ServiceApplication(name: "greeter", version: "1.2.3", settings: settings, metrics: MetricsRegistry(), logger: quietLogger)
    }

    @Test func registersAndDeregistersThroughDraining() async throws {
        let (controlPlane, url) = try await startControlPlaneURL()
        let client = try ControlPlaneClient(endpoints: [url])
        let running = try await RunningApplication.start(try makeApp(controlPlane: url, instanceID: "greeter-a"))

        let instances = try await client.instances(of: "greeter").instances
        let instance = try #require(instances.first)
        #expect(instances.count == 1)
        #expect(instance.id == "greeter-a")
        #expect(instance.status == .up)
        #expect("http://\(instance.endpoint)" == running.baseURL)
        #expect(instance.version == "1.2.3")
        #expect(instance.labels == ["track": "stable"])
        #expect(instance.healthCheck?.path == "/readyz")

        let discovery = ServiceDiscovery(client: client, service: "greeter", logger: quietLogger)
        await discovery.start()
        let statuses = Task {
            var seen: [String] = []
            for await snapshot in discovery.updates() {
                let status = snapshot.instances.first.map(\.status.rawValue) ?? "GONE"
                if seen.last != status { seen.append(status) }
                if status == "GONE" && seen.count > 1 { return seen }
            }
            return seen
        }
        try await running.stop()
        #expect(await statuses.value == ["UP", "DRAINING", "GONE"])
        #expect(try await client.instances(of: "greeter").instances.isEmpty)
        discovery.stop()
        await controlPlane.shutdown()
    }

    @Test func servesWhileControlPlaneIsDown() async throws {
        // Nothing listens at the control plane's address: the service
        // starts anyway and keeps registering in the background.
        let url = "http://\(try LoopbackPorts.unreachableEndpoint())"
        let running = try await RunningApplication.start(try makeApp(controlPlane: url, instanceID: "greeter-late"))
        let (status, _) = try await running.get("/readyz")
        #expect(status == .ok)
        try await running.stop()
    }

    @Test func leaderOnlyWorkerRunsOnOneInstance() async throws {
        let (controlPlane, url) = try await startControlPlaneURL()
        let events = Events()
        var running: [RunningApplication] = []
        for id in ["a", "b"] {
            let app = try makeApp(controlPlane: url, instanceID: "greeter-\(id)")
            app.withLeadership("reaper") {
                events.record("\(id) leads")
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(3600))
                }
                events.record("\(id) stopped leading")
            }
            running.append(try await RunningApplication.start(app))
            if id == "a" { try await events.wait(for: "a leads") }
        }
        #expect(events.all == ["a leads"])
        try await running[0].stop()
        try await events.wait(for: "b leads")
        #expect(events.all == ["a leads", "a stopped leading", "b leads"])
        try await running[1].stop()
        await controlPlane.shutdown()
    }
}

@Suite struct ServiceToServiceTests {
    struct Greeting: Codable, Equatable {
        var text: String
    }

    @Test func callsRegisteredServiceThroughDiscovery() async throws {
        let (controlPlane, url) = try await startControlPlaneURL()
        let names = try ServiceApplication(name: "greeter-names", settings: testSettings(controlPlane: url), metrics: MetricsRegistry(), logger: quietLogger)
        names.router.get("/v1/greetings/:language") { _, context in
            try Response.json(Greeting(text: context.parameters["language"] == "fr" ? "Bonjour" : "Hello"))
        }
        let api = try ServiceApplication(name: "greeter-api", settings: testSettings(controlPlane: url), metrics: MetricsRegistry(), logger: quietLogger)
        let client = api.serviceClient("greeter-names")
        api.router.get("/v1/hello/:name") { _, context in
            let greeting = try await client.get("/v1/greetings/fr", as: Greeting.self)
            return "\(greeting.text), \(context.parameters["name"] ?? "")!"
        }
        let runningNames = try await RunningApplication.start(names)
        let runningAPI = try await RunningApplication.start(api)

        let (status, body) = try await runningAPI.get("/v1/hello/ada")
        #expect(status == .ok)
        #expect(body == "Bonjour, ada!")

        try await runningAPI.stop()
        try await runningNames.stop()
        await controlPlane.shutdown()
    }

    @Test func callsStaticEndpointWithoutControlPlane() async throws {
        let names = try ServiceApplication(name: "greeter-names", settings: testSettings(), metrics: MetricsRegistry(), logger: quietLogger)
        names.router.get("/v1/greetings/:language") { _, _ in
            try Response.json(Greeting(text: "Hello"))
        }
        let runningNames = try await RunningApplication.start(names)
        var settings = testSettings()
        settings.clients.endpoints = ["greeter-names": [String(runningNames.baseURL.dropFirst("http://".count))]]
        let api = try ServiceApplication(name: "greeter-api", settings: settings, metrics: MetricsRegistry(), logger: quietLogger)
        let greeting = try await api.serviceClient("greeter-names").get("/v1/greetings/en", as: Greeting.self)
        #expect(greeting == Greeting(text: "Hello"))
        await api.clients.shutdown()
        try await runningNames.stop()
    }
}
