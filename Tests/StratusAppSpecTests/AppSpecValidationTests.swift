import Foundation
import StratusAppSpec
import Testing

@Suite struct AppSpecValidationTests {
    /// Loads `text` and returns the problems' descriptions, empty when it loads.
    func problems(_ text: String) throws -> [String] {
        let files = try SpecFiles()
        let path = try files.write(text)
        do {
            _ = try AppSpecLoader.load(path: path)
            return []
        } catch {
            #expect(error.source == path)
            return error.problems.map { $0.description.replacingOccurrences(of: path, with: "stratus.yaml") }
        }
    }

    @Test func everyProblemReportedAtOnce() throws {
        let found = try problems("""
            name: shop
            services:
              - name: catalog
                product: catalog
                replicas: -1
                health:
                  livenessPath: healthz
                autoscale: {min: 5, max: 3}
              - name: catalog
                product: catalog
                replcas: 2
                dependsOn: [payments]
            """)
        #expect(found.count == 6)
        #expect(found.contains("unknown field stratus.yaml:11:5: services[1].replcas; did you mean services[1].replicas?"))
        #expect(found.contains("stratus.yaml:5:15: services[0].replicas: -1 is below 0; expected a number of replicas from 0 up"))
        #expect(found.contains(
            "stratus.yaml:7:21: services[0].health.livenessPath: \"healthz\" does not start with \"/\"; expected an HTTP path such as /healthz"
        ))
        #expect(found.contains("stratus.yaml:8:22: services[0].autoscale.min: 5 is above max 3; expected min to be at most max"))
        #expect(found.contains("stratus.yaml:9:11: services[1].name: \"catalog\" is also the name of services[0]; service names must be unique"))
        #expect(found.contains("stratus.yaml:12:17: services[1].dependsOn[0]: no service is named \"payments\"; expected one of: catalog"))
    }

    @Test func unknownDependencyNamed() throws {
        let found = try problems("""
            name: shop
            services:
              - name: web
                product: web
                dependsOn: [payments]
              - name: catalog
                product: catalog
            """)
        #expect(found == ["stratus.yaml:5:17: services[0].dependsOn[0]: no service is named \"payments\"; expected one of: catalog, web"])
    }

    @Test func dependencyCycleNamed() throws {
        let found = try problems("""
            name: shop
            services:
              - name: a
                product: a
                dependsOn: [b]
              - name: b
                product: b
                dependsOn: [c]
              - name: c
                product: c
                dependsOn: [a]
            """)
        #expect(found == ["stratus.yaml:11:17: services[2].dependsOn[0]: dependency cycle a -> b -> c -> a; remove one of these dependencies"])
    }

    @Test func selfDependencyRejected() throws {
        let found = try problems("name: shop\nservices:\n  - name: a\n    product: a\n    dependsOn: [a]\n")
        #expect(found == ["stratus.yaml:5:17: services[0].dependsOn[0]: \"a\" is the service itself; a service cannot depend on itself"])
    }

    @Test func wrongTypesReportedWithOthers() throws {
        let found = try problems("""
            name: shop
            services:
              - name: a
                product: a
                replicas: many
                drainPeriod: 5
              - name: B
                product: b
            """)
        #expect(found.count == 3)
        #expect(found[0].hasPrefix("stratus.yaml:5:15: services[0].replicas: expected an integer"))
        #expect(found[1].hasPrefix("stratus.yaml:6:18: services[0].drainPeriod:"))
        #expect(found[1].contains("no unit"))
        #expect(found[2].hasPrefix("stratus.yaml:7:11: services[1].name: \"B\" is not a valid service name"))
    }

    @Test func staticLinkingMustBeBoolean() throws {
        let found = try problems("name: shop\nbuild:\n  staticSwiftStdlib: sometimes\nservices:\n  - name: a\n    product: a\n")
        #expect(found == [
            "stratus.yaml:3:22: build.staticSwiftStdlib: expected true or false, found \"sometimes\"; "
                + "fix the value in stratus.yaml or override it with --set build.staticSwiftStdlib=VALUE"
        ])
    }

    @Test func productOrCommandRequired() throws {
        let neither = try problems("name: shop\nservices:\n  - name: a\n")
        #expect(neither == [
            "stratus.yaml:3:5: services[0]: the service has neither product nor command; set product (a package executable to build) or command (a program to run)"
        ])
        let both = try problems("name: shop\nservices:\n  - name: a\n    product: a\n    command: ./a\n")
        #expect(both == ["stratus.yaml:5:14: services[0].command: the service has both product and command; keep one of them"])
    }

    @Test func missingNameReported() throws {
        let found = try problems("services:\n  - product: a\n")
        #expect(found.count == 2)
        #expect(found[0].hasPrefix("stratus.yaml:1:1: name: missing"))
        #expect(found[0].hasSuffix("add it to stratus.yaml or pass --set name=VALUE"))
        #expect(found[1].hasPrefix("stratus.yaml:2:5: services[0].name: missing"))
    }

    @Test func serviceThatIsNotAMappingSkipped() throws {
        let found = try problems("name: shop\nservices:\n  - web\n  - name: b\n    product: b\n    replicas: -2\n")
        #expect(found.count == 2)
        #expect(found[0].hasPrefix("stratus.yaml:3:5: services[0]: expected a mapping"))
        #expect(found[1].hasPrefix("stratus.yaml:6:15: services[1].replicas: -2 is below 0"))
    }

    @Test func rolloutBoundsChecked() throws {
        let zero = try problems("name: s\nservices:\n  - name: a\n    product: a\n    rollout: {maxSurge: 0, maxUnavailable: 0%}\n")
        #expect(zero == [
            "stratus.yaml:5:44: services[0].rollout.maxUnavailable: maxSurge and maxUnavailable are both 0, so no replica could be replaced; allow a surge or an unavailable replica"
        ])
        let range = try problems("name: s\nservices:\n  - name: a\n    product: a\n    rollout: {maxSurge: -1, maxUnavailable: 150%}\n")
        #expect(range.count == 2)
        #expect(range[0].contains("services[0].rollout.maxSurge: -1 is below 0"))
        #expect(range[1].contains("services[0].rollout.maxUnavailable: 150% is out of range; expected a percentage from 0% to 100%"))
        let text = try problems("name: s\nservices:\n  - name: a\n    product: a\n    rollout: {maxSurge: lots}\n")
        #expect(text.count == 1)
        #expect(text[0].contains("stratus.yaml:5:25: services[0].rollout.maxSurge: invalid value \"lots\""))
    }

    @Test func resourcesChecked() throws {
        let found = try problems("""
            name: s
            services:
              - name: a
                product: a
                resources:
                  requests: {cpu: 2, memory: 2Gi}
                  limits: {cpu: 500m, memory: 1Gi}
              - name: b
                product: b
                resources:
                  requests: {cpu: fast}
            """)
        #expect(found.count == 3)
        #expect(found.contains("stratus.yaml:6:23: services[0].resources.requests.cpu: 2 is above the limit 500m; expected a request of at most the limit"))
        #expect(found.contains("stratus.yaml:6:34: services[0].resources.requests.memory: 2Gi is above the limit 1Gi; expected a request of at most the limit"))
        #expect(found.contains { $0.hasPrefix("stratus.yaml:11:23: services[1].resources.requests.cpu: invalid value \"fast\"") })
    }

    @Test func reservedVariablesRejected() throws {
        let found = try problems("name: s\nservices:\n  - name: a\n    product: a\n    environment: {PORT: '1', 1X: b}\n")
        #expect(found == [
            "stratus.yaml:5:34: services[0].environment.1X: \"1X\" is not a variable name; expected letters, digits and \"_\", not starting with a digit",
            "stratus.yaml:5:25: services[0].environment.PORT: PORT is set by the orchestrator for each replica; remove it",
        ])
    }

    @Test func addressesAndStoreChecked() throws {
        let found = try problems("""
            name: s
            services:
              - name: a
                product: a
            gateway:
              listen: localhost
            controlPlane:
              listen: 127.0.0.1:70000
              store: etcd
            autoscaler:
              tolerance: 1.5
            """)
        #expect(found.count == 4)
        #expect(found[0].hasPrefix("stratus.yaml:6:11: gateway.listen: \"localhost\" is not an address and port"))
        #expect(found[1].hasPrefix("stratus.yaml:8:11: controlPlane.listen:"))
        #expect(found[2].hasPrefix("stratus.yaml:9:10: controlPlane.store: \"etcd\" is not a store"))
        #expect(found[3].hasPrefix("stratus.yaml:11:14: autoscaler.tolerance: 1.5 is out of range"))
    }

    @Test func syntaxErrorStopsLoad() throws {
        let found = try problems("name: s\nservices: [\n")
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("stratus.yaml:"))
    }

    @Test func missingFileReported() throws {
        let files = try SpecFiles()
        let path = files.directory.appendingPathComponent("absent.yaml").path
        #expect(throws: AppSpecError.self) { try AppSpecLoader.load(path: path) }
    }

    @Test func validSpecHasNoProblems() {
        let spec = AppSpec(name: "shop", services: [ServiceSpec(name: "a", product: "a")])
        #expect(spec.validate().isEmpty)
    }
}
