import Foundation
import StratusAppSpec
import StratusControlPlane
import StratusHTTP
import StratusOrchestrator
import Testing

@Suite struct AppsAPITests {
    /// Runs `body` against a control plane on a free port with a memory store.
    func withControlPlane(_ body: (ControlPlane, AppsClient) async throws -> Void) async throws {
        var configuration = ControlPlane.Configuration(store: .memory)
        configuration.port = 0
        configuration.healthChecks = false
        let controlPlane = try ControlPlane(configuration: configuration)
        try await controlPlane.start()
        let client = AppsClient(baseURL: "http://\(controlPlane.localAddress!)")
        do {
            try await body(controlPlane, client)
        } catch {
            client.shutdown()
            await controlPlane.shutdown()
            throw error
        }
        client.shutdown()
        await controlPlane.shutdown()
    }

    static func spec(replicas: Int = 2) -> AppSpec {
        var web = ServiceSpec(name: "web", command: "/bin/true")
        web.replicas = replicas
        return AppSpec(name: "shop", services: [web, ServiceSpec(name: "worker", command: "/bin/true")])
    }

    @Test func applyStoresDesiredState() async throws {
        try await withControlPlane { _, client in
            let result = try await client.apply(Self.spec())
            #expect(result.services.map(\.name) == ["web", "worker"])
            #expect(result.services.allSatisfy { $0.created })
            #expect(try await client.apps() == ["shop"])
            let document = try await client.document(app: "shop")
            #expect(document.spec == Self.spec())
            #expect(document.deployments.map(\.replicas) == [2, 1])
        }
    }

    @Test func scaleSurvivesSameSpec() async throws {
        try await withControlPlane { _, client in
            _ = try await client.apply(Self.spec())
            #expect(try await client.scale(app: "shop", service: "web", replicas: 5).replicas == 5)
            let again = try await client.apply(Self.spec())
            #expect(again.services[0].replicas == 5)
            #expect(!again.services[0].created)
            let changed = try await client.apply(Self.spec(replicas: 3))
            #expect(changed.services[0].replicas == 3)
        }
    }

    @Test func restartStampsDeployment() async throws {
        try await withControlPlane { _, client in
            _ = try await client.apply(Self.spec())
            let deployment = try await client.restart(app: "shop", service: "worker")
            #expect(deployment.restartedAt != nil)
            let stored = try await client.document(app: "shop")
            #expect(stored.deployments[1].restartedAt == deployment.restartedAt)
        }
    }

    @Test func invalidSpecListsProblems() async throws {
        try await withControlPlane { _, client in
            var spec = Self.spec()
            spec.services[0].replicas = -1
            spec.services[1].dependsOn = ["nowhere"]
            do {
                _ = try await client.apply(spec)
                Issue.record("an invalid spec was applied")
            } catch {
                #expect("\(error)".contains("invalid app spec app shop (2 problems)"))
                #expect("\(error)".contains("services[0].replicas: -1 is below 0"))
                #expect("\(error)".contains("services[1].dependsOn[0]: no service is named \"nowhere\""))
            }
        }
    }

    @Test func unknownAppAndServiceNamed() async throws {
        try await withControlPlane { _, client in
            await #expect(throws: OrchestratorError.self) { try await client.status(app: "shop") }
            _ = try await client.apply(Self.spec())
            do {
                _ = try await client.scale(app: "shop", service: "cart", replicas: 1)
                Issue.record("an unknown service was scaled")
            } catch {
                #expect("\(error)" == "app shop has no service named cart; its services are: web, worker")
            }
            do {
                _ = try await client.scale(app: "shop", service: "web", replicas: -2)
                Issue.record("a negative count was accepted")
            } catch {
                #expect("\(error)" == "invalid replicas -2: expected a count from 0 to 1000")
            }
        }
    }

    @Test func deleteRemovesApp() async throws {
        try await withControlPlane { controlPlane, client in
            _ = try await client.apply(Self.spec())
            try await client.delete(app: "shop")
            let remaining = try await client.apps()
            #expect(remaining.isEmpty)
            let deployments = try await AppRepository(store: controlPlane.store).deployments("shop")
            #expect(deployments.isEmpty)
            await #expect(throws: OrchestratorError.self) { try await client.delete(app: "shop") }
        }
    }

    @Test func pathMustMatchSpecName() async throws {
        try await withControlPlane { controlPlane, _ in
            let http = HTTPClient()
            defer { http.shutdown() }
            let body = try SpecCoding.encoder().encode(Self.spec())
            let request = HTTPClientRequest(method: .put, url: "http://\(controlPlane.localAddress!)/api/v1/apps/other", body: OutgoingBody(bytes: Array(body)))
            let (response, bytes) = try await http.execute(request, collectingUpTo: 1 << 16)
            #expect(response.status.code == 400)
            let error = try JSONDecoder().decode(AppErrorBody.self, from: Data(bytes))
            #expect(error.error.code == "invalid_argument")
            #expect(error.error.message.contains("the spec names app shop, but the path names other"))
        }
    }
}
