import Foundation
import StratusConfig
import StratusControlPlane
import StratusHTTP
import Testing
@testable import StratusKit

@Suite struct RemoteConfigurationKitTests {
    private let namespace = NamespaceCoordinates(application: "orders", environment: "dev", namespace: "application")

    @Test func configCenterSectionDecodes() throws {
        let loader = ConfigurationLoader(file: nil, environment: [:], overrides: [
            "controlPlane.endpoints=[http://127.0.0.1:1]",
            "configCenter.environment=prod",
            "configCenter.namespaces=[application, database]",
            "configCenter.startTimeout=2s",
        ])
        let settings = try KitSettings.load(from: loader, environment: [:])
        let section = try #require(settings.configCenter)
        #expect(section.application == nil)
        #expect(section.environment == "prod")
        #expect(section.namespaces == ["application", "database"])
        #expect(section.startTimeout == .seconds(2))
        #expect(section.cacheDirectory == nil)
    }

    @Test(arguments: [
        (["configCenter.environment=prod"], "the configCenter section needs a control plane"),
        (["controlPlane.endpoints=[http://127.0.0.1:1]", "configCenter.namespaces=[Bad]"], "invalid namespace name \"Bad\""),
        (["controlPlane.endpoints=[http://127.0.0.1:1]", "configCenter.environment=a_b"], "invalid environment name \"a_b\""),
        (["controlPlane.endpoints=[http://127.0.0.1:1]", "configCenter.startTimeout=0s"], "configCenter.startTimeout"),
    ])
    func invalidSectionIsRejected(overrides: [String], message: String) {
        let loader = ConfigurationLoader(file: nil, environment: [:], overrides: overrides)
        do {
            _ = try KitSettings.load(from: loader, environment: [:])
            Issue.record("\(overrides) were accepted")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func remoteConfigurationNeedsControlPlane() throws {
        let app = try ServiceApplication(name: "orders", settings: testSettings())
        #expect(throws: StartupError.self) { try app.remoteConfiguration(namespace: "application") }
    }

    @Test func configuredNamespacesLoadBeforeServing() async throws {
        let (controlPlane, url) = try await startControlPlaneURL()
        let client = try ConfigCenterClient(endpoints: [url])
        _ = try await client.createNamespace(namespace, CreateNamespaceRequest(format: .yaml, author: "test"))
        _ = try await client.setDocument(namespace, SetDocumentRequest(document: "limit: 7\n", author: "test"))
        _ = try await client.publish(namespace, PublishRequest(author: "test"))

        var settings = testSettings(controlPlane: url)
        var section = ConfigCenterSettings()
        section.namespaces = ["application", "missing"]
        settings.configCenter = section
        let app = try ServiceApplication(name: "orders", settings: settings)
        let config = try app.remoteConfiguration(namespace: "application")
        #expect(try app.remoteConfiguration(namespace: "application") === config, "one object per namespace")
        #expect(config.options.coordinates == namespace)
        #expect(config.options.instanceID == app.instanceID)
        let running = try await RunningApplication.start(app)
        #expect(config.isLoaded, "the namespace is loaded before the server serves")
        #expect(try config.value("limit", as: Int.self) == 7)
        let (status, body) = try await running.get("/readyz")
        #expect(status == .ok, "\(body)")
        #expect(body.contains("config:application"))
        #expect(body.contains("config:missing"), "a namespace without a release is loaded as empty")
        try await running.stop()
        await controlPlane.shutdown()
    }
}
