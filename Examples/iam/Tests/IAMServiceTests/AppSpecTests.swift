import Foundation
import StratusAppSpec
import Testing

/// Examples/iam/stratus.yaml, as `stratus up` and `stratus render` read it.
@Suite struct AppSpecTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("stratus.yaml").path

    @Test func specLoadsAndValidates() throws {
        let file = try AppSpecLoader.load(path: Self.path)
        let spec = file.spec
        #expect(spec.name == "iam")
        #expect(spec.services.map(\.name) == ["iam-apiserver", "iam-authz-server", "iam-pump"])
        #expect(spec.services.map(\.product) == ["iam-apiserver", "iam-authz-server", "iam-pump"])
        #expect(spec.services.map(\.replicas) == [2, 2, 1])
        #expect(spec.gateway?.listen == "127.0.0.1:8080")
    }

    /// Each part of the API has a route to its service, and only /login has
    /// a rate limit.
    @Test func gatewayRoutesTheAPI() throws {
        let configuration = try IAMGateway.specConfiguration()
        let expected: [(route: String, kind: String, path: String, upstream: String)] = [
            ("login", "exact", "/login", "iam-apiserver"), ("logout", "exact", "/logout", "iam-apiserver"),
            ("refresh", "exact", "/refresh", "iam-apiserver"), ("users", "prefix", "/v1/users", "iam-apiserver"),
            ("secrets", "prefix", "/v1/secrets", "iam-apiserver"), ("policies", "prefix", "/v1/policies", "iam-apiserver"),
            ("authz", "prefix", "/v1/authz", "iam-authz-server"), ("version", "exact", "/version", "iam-apiserver"),
        ]
        let routes = configuration["routes"] as? [[String: Any]] ?? []
        #expect(routes.count == expected.count)
        for route in expected {
            let found = IAMGateway.route(route.route, in: configuration)
            #expect((found?["match"] as? [String: Any])?[route.kind] as? String == route.path, "route \(route.route)")
            #expect(found?["upstream"] as? String == route.upstream, "route \(route.route)")
            let limits = (found?["policies"] as? [String: Any])?["rateLimits"] as? [[String: Any]]
            #expect((limits?.isEmpty == false) == (route.route == "login"), "route \(route.route)")
        }
        let upstreams = (configuration["upstreams"] as? [[String: Any]] ?? []).map { $0["service"] as? String }
        #expect(upstreams == ["iam-apiserver", "iam-authz-server"])
    }

    /// The services that must agree on a token get the same value.
    @Test func sharedTokensAgree() throws {
        let services = Dictionary(uniqueKeysWithValues: try AppSpecLoader.load(path: Self.path).spec.services.map { ($0.name, $0.environment) })
        let internalToken = services["iam-apiserver"]?["IAM_APISERVER_INTERNAL_TOKEN"]
        #expect(internalToken != nil)
        #expect(services["iam-authz-server"]?["IAM_AUTHZ_SERVER_APISERVER_INTERNALTOKEN"] == internalToken)
        let pumpToken = services["iam-pump"]?["IAM_PUMP_PUMP_TOKEN"]
        #expect(pumpToken != nil)
        #expect(services["iam-authz-server"]?["IAM_AUTHZ_SERVER_AUDIT_TOKEN"] == pumpToken)
    }
}
