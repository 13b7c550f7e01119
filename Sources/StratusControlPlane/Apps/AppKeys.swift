/// The orchestrator's key layout in the store, under `/stratus/apps/<app>/`:
///
/// | key | value |
/// |---|---|
/// | `spec` | the applied `AppSpec`, wire JSON (desired state) |
/// | `deployments/<service>` | the service's `DeploymentState` (desired state) |
/// | `status` | the `AppStatus` the orchestrator observed, attached to its lease |
public enum AppKeys {
    public static let root = "/stratus/apps/"

    public static func app(_ name: String) -> String {
        root + name + "/"
    }

    public static func spec(_ app: String) -> String {
        Self.app(app) + "spec"
    }

    public static func deployments(_ app: String) -> String {
        Self.app(app) + "deployments/"
    }

    public static func deployment(_ app: String, service: String) -> String {
        deployments(app) + service
    }

    public static func status(_ app: String) -> String {
        Self.app(app) + "status"
    }
}
