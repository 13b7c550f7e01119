/// The observed state of an app, which the orchestrator writes and
/// `stratus status` shows.
public struct AppStatus: Sendable, Hashable, Codable {
    public var app: String
    /// `starting`, `running` or `stopping`.
    public var phase: String
    /// When the orchestrator wrote this status, ISO 8601.
    public var updatedAt: String
    /// The control plane's base URL.
    public var controlPlane: String
    /// The gateway's base URL, nil without a gateway.
    public var gateway: String?
    public var services: [ServiceStatus]

    public init(app: String, phase: String, updatedAt: String, controlPlane: String, gateway: String?, services: [ServiceStatus]) {
        self.app = app
        self.phase = phase
        self.updatedAt = updatedAt
        self.controlPlane = controlPlane
        self.gateway = gateway
        self.services = services
    }
}
