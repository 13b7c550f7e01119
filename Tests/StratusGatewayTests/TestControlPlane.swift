import StratusControlPlane

/// Starts a control plane over an in-memory store on a free loopback port
/// and returns it with its base URL, `http://127.0.0.1:PORT`.
func startTestControlPlane() async throws -> (ControlPlane, url: String) {
    var configuration = ControlPlane.Configuration(store: .memory)
    configuration.port = 0
    configuration.healthChecks = false
    configuration.logger = quietLogger
    let controlPlane = try ControlPlane(configuration: configuration)
    try await controlPlane.start()
    return (controlPlane, "http://\(controlPlane.localAddress!)")
}
