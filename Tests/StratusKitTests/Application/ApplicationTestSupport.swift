import StratusControlPlane
import StratusDiscovery
import StratusHTTP
import StratusLog
import StratusStore
import Testing
@testable import StratusKit

/// Settings for an application under test: any free port, no drain
/// period, no access log.
func testSettings(controlPlane: String? = nil) -> KitSettings {
    var settings = KitSettings()
    settings.server.port = 0
    settings.server.drainPeriod = .zero
    settings.server.shutdownTimeout = .seconds(5)
    settings.log.accessLog = false
    if let controlPlane {
        var plane = ControlPlaneSettings(endpoints: [controlPlane])
        plane.ttlSeconds = 5
        settings.controlPlane = plane
    }
    return settings
}

/// An application running in a background task.
struct RunningApplication {
    let service: ApplicationService
    let task: Task<Void, any Error>
    let baseURL: String
    let client = HTTPClient()

    static func start(_ app: ServiceApplication) async throws -> RunningApplication {
        let service = try app.makeService(handlesSignals: false)
        let task = Task { try await service.run() }
        let address = try await service.waitUntilServing()
        return RunningApplication(service: service, task: task, baseURL: "http://\(address)")
    }

    /// Sends a GET and returns the status and body text.
    func get(_ path: String) async throws -> (HTTPStatus, String) {
        let (response, body) = try await client.execute(HTTPClientRequest(url: baseURL + path), collectingUpTo: 1 << 20)
        return (response.status, String(decoding: body, as: UTF8.self))
    }

    /// Asks for a graceful shutdown and waits for `run()` to return.
    func stop() async throws {
        service.triggerGracefulShutdown()
        try await task.value
        client.shutdown()
    }
}

/// Starts a control plane on a memory store, without health checks, and
/// returns it with its URL.
func startControlPlaneURL() async throws -> (ControlPlane, String) {
    let (controlPlane, client) = try await startControlPlane()
    return (controlPlane, client.endpoints[0])
}
