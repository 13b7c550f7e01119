import Foundation
import StratusAppSpec
import StratusTestSupport
import Testing

/// `stratus gateway` in front of an IAM deployment, with the `gateway`
/// section of Examples/iam/stratus.yaml as its configuration, the way
/// `stratus up` runs it: the same routes and rate limit, and upstreams
/// discovered through the deployment's control plane.
enum IAMGateway {
    /// Returns the spec's gateway section without the orchestrator's own
    /// keys (`listen`, `drainPeriod`), as a JSON object.
    static func specConfiguration() throws -> [String: Any] {
        let spec = try AppSpecLoader.load(path: AppSpecTests.path).spec
        let gateway = try #require(spec.gateway, "Examples/iam/stratus.yaml has no gateway section")
        let data = try JSONEncoder().encode(gateway.configuration)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Returns the spec's route with the given name.
    static func route(_ name: String, in configuration: [String: Any]) -> [String: Any]? {
        (configuration["routes"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    /// Starts a gateway for `deployment` and waits until it has discovered
    /// every running replica of the API server and the authorization server.
    static func start(for deployment: IAMDeployment) async throws -> GatewayProcess {
        var configuration = try specConfiguration()
        var settings = configuration["settings"] as? [String: Any] ?? [:]
        settings["controlPlane"] = [deployment.controlPlaneURL]
        settings["accessLog"] = false
        configuration["settings"] = settings
        let json = try JSONSerialization.data(withJSONObject: configuration, options: [.sortedKeys])
        let gateway = try await GatewayProcess(yaml: String(decoding: json, as: UTF8.self))
        do {
            for service in ["iam-apiserver", "iam-authz-server"] {
                try await waitForInstances(of: service, count: deployment.replicas(of: service).count, in: gateway)
            }
        } catch {
            gateway.stop()
            throw error
        }
        return gateway
    }

    /// Polls the admin API until the upstream named `service` lists `count`
    /// instances that discovery reports UP, for at most 20 seconds.
    static func waitForInstances(of service: String, count: Int, in gateway: GatewayProcess) async throws {
        var view = ""
        for _ in 0..<400 {
            view = try await gateway.admin("/admin/upstreams/\(service)").body
            let object = try? JSONSerialization.jsonObject(with: Data(view.utf8)) as? [String: Any]
            let instances = object?["instances"] as? [[String: Any]] ?? []
            if instances.filter({ $0["status"] as? String == "UP" }).count >= count {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw GatewayTestError(description: "the gateway did not discover \(count) UP instances of \(service): \(view)")
    }
}
