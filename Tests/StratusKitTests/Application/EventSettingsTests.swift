import StratusControlPlane
import StratusEvents
import StratusKit
import StratusTestSupport
import Testing

/// The `events` section and `ServiceApplication.events`.
@Suite struct EventSettingsTests {
    @Test func eventsSectionGivesApplicationABus() async throws {
        let (controlPlane, url) = try await startControlPlaneURL()
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("""
            events:
              backend: embedded
              url: \(url)
            """)
        let settings = try KitSettings.load(from: loader, environment: [:])
        let app = try ServiceApplication(name: "greeter", settings: settings, configuration: loader)
        let bus = try #require(app.events)
        let receipt = try await bus.publish("greetings", payload: Array("hello".utf8))
        #expect(receipt.sequence == 1)
        await bus.close()
        await controlPlane.shutdown()
    }

    @Test func applicationWithoutSectionHasNoBus() throws {
        let app = try ServiceApplication(name: "greeter")
        #expect(app.events == nil)
    }

    @Test(arguments: [
        ("events:\n  backend: kafka\n", "invalid events.backend kafka"),
        ("events:\n  backend: nats\n", "events.natsURLs is empty"),
        ("events:\n  backend: nats\n  natsURLs: [http://127.0.0.1:4222]\n", "invalid NATS URL"),
        ("events:\n  url: nats://127.0.0.1:4222\n", "invalid embedded broker URL"),
        ("events:\n  backend: nats\n  natsURLs: [nats://127.0.0.1:4222]\n  natsPartitions: 0\n", "natsPartitions"),
    ])
    func badEventsSectionIsRejected(yaml: String, message: String) throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader(yaml)
        let settings = try KitSettings.load(from: loader, environment: [:])
        let error = #expect(throws: StartupError.self) { try ServiceApplication(name: "greeter", settings: settings, configuration: loader) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}
