package import StratusControlPlane
import StratusLog

/// Starts a control plane over an in-memory store on a free loopback port,
/// without health checks and with logging off, and returns it with its base
/// URL, `http://127.0.0.1:PORT`.
package func startMemoryControlPlane() async throws -> (controlPlane: ControlPlane, url: String) {
    var configuration = ControlPlane.Configuration(store: .memory)
    configuration.port = 0
    configuration.healthChecks = false
    configuration.logger = Logger(label: "stratus.test.control-plane") { NoOpLogHandler(label: $0) }
    let controlPlane = try ControlPlane(configuration: configuration)
    try await controlPlane.start()
    // A started control plane is listening, so it has an address.
    return (controlPlane, "http://\(controlPlane.localAddress!)")
}
