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
        #expect(spec.services.allSatisfy { $0.replicas == 2 })
        #expect(spec.gateway?.listen == "127.0.0.1:8080")
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
