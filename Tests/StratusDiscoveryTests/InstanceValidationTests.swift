import Foundation
import Testing
import StratusDiscovery

@Suite struct InstanceValidationTests {
    private let valid = ServiceInstance(service: "iam-apiserver", id: "iam-1", address: "127.0.0.1", port: 8080)

    @Test func validInstancePasses() throws {
        try valid.validate()
    }

    @Test(arguments: [
        ("", "service"), ("IAM", "service"), ("1iam", "service"), ("iam-", "service"), ("iam_api", "service"),
    ])
    func badServiceNames(name: String, field: String) {
        var instance = valid
        instance.service = name
        let error = #expect(throws: ValidationError.self) { try instance.validate() }
        #expect(error?.field == field)
        #expect(error?.value == name)
    }

    @Test func badFieldsNameTheField() {
        var instance = valid
        instance.port = 70_000
        #expect((#expect(throws: ValidationError.self) { try instance.validate() })?.field == "port")
        instance = valid
        instance.weight = 0
        #expect((#expect(throws: ValidationError.self) { try instance.validate() })?.field == "weight")
        instance = valid
        instance.scheme = "ftp"
        #expect((#expect(throws: ValidationError.self) { try instance.validate() })?.field == "scheme")
        instance = valid
        instance.id = "a b"
        #expect((#expect(throws: ValidationError.self) { try instance.validate() })?.field == "id")
        instance = valid
        instance.labels = ["-bad": "x"]
        #expect((#expect(throws: ValidationError.self) { try instance.validate() })?.field == "labels key")
        instance = valid
        instance.healthCheck = HealthCheck(path: "/ready", periodSeconds: 2, timeoutSeconds: 5)
        #expect((#expect(throws: ValidationError.self) { try instance.validate() })?.field == "healthCheck.timeoutSeconds")
        instance = valid
        instance.healthCheck = HealthCheck(path: "ready")
        #expect((#expect(throws: ValidationError.self) { try instance.validate() })?.field == "healthCheck.path")
    }

    @Test func decodingAppliesDefaults() throws {
        let json = #"{"service":"iam","id":"a","address":"::1","port":80,"healthCheck":{"path":"/healthz"}}"#
        let instance = try JSONDecoder().decode(ServiceInstance.self, from: Data(json.utf8))
        #expect(instance.weight == 100)
        #expect(instance.status == .up)
        #expect(instance.scheme == "http")
        #expect(instance.endpoint == "[::1]:80")
        #expect(instance.healthCheck?.failureThreshold == 3)
        #expect(instance.healthCheck?.periodSeconds == 10)
    }
}
