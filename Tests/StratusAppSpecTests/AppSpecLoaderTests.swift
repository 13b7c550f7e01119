import Foundation
import StratusAppSpec
import Testing

@Suite struct AppSpecLoaderTests {
    static let complete = """
        name: shop
        services:
          - name: catalog
            product: catalog-server
            arguments: [--config, config/catalog.yaml]
            environment:
              CATALOG_LOG_LEVEL: debug
            replicas: 3
            health:
              livenessPath: /live
              readinessPath: /ready
              period: 500ms
              timeout: 250ms
              failureThreshold: 2
              startupGrace: 10s
            autoscale: {min: 2, max: 6, targetCPUPercent: 60, scaleDownStabilization: 1m}
            rollout: {maxSurge: 1, maxUnavailable: 0}
            resources:
              requests: {cpu: 250m, memory: 64Mi}
              limits: {cpu: 1, memory: 1Gi}
            drainPeriod: 2s
            terminationGracePeriod: 15s
          - name: web
            command: bin/web
            registers: false
            dependsOn: [catalog]
        gateway:
          listen: 127.0.0.1:9080
          routes:
            - path: /catalog
              upstream: catalog
        controlPlane:
          listen: 127.0.0.1:0
          store: memory
        build:
          configuration: debug
        autoscaler:
          syncPeriod: 5s
          tolerance: 0.2
        """

    @Test func completeSpecLoads() throws {
        let files = try SpecFiles()
        let spec = try AppSpecLoader.load(path: try files.write(Self.complete)).spec
        #expect(spec.name == "shop")
        #expect(spec.services.map(\.name) == ["catalog", "web"])
        let catalog = spec.services[0]
        #expect(catalog.product == "catalog-server")
        #expect(catalog.arguments == ["--config", "config/catalog.yaml"])
        #expect(catalog.environment == ["CATALOG_LOG_LEVEL": "debug"])
        #expect(catalog.replicas == 3)
        #expect(catalog.health.livenessPath == "/live")
        #expect(catalog.health.period == .milliseconds(500))
        #expect(catalog.health.failureThreshold == 2)
        #expect(catalog.autoscale == AutoscaleSpec(min: 2, max: 6, targetCPUPercent: 60, scaleDownStabilization: .seconds(60)))
        #expect(catalog.rollout == RolloutSpec(maxSurge: .count(1), maxUnavailable: .count(0)))
        #expect(catalog.resources.requests == ResourceAmounts(cpu: CPUQuantity(millicores: 250), memory: MemoryQuantity(bytes: 64 << 20)))
        #expect(catalog.resources.limits == ResourceAmounts(cpu: CPUQuantity(millicores: 1000), memory: MemoryQuantity(bytes: 1 << 30)))
        #expect(catalog.drainPeriod == .seconds(2))
        #expect(catalog.terminationGracePeriod == .seconds(15))
        #expect(spec.services[1].command == "bin/web")
        #expect(spec.services[1].dependsOn == ["catalog"])
        #expect(spec.services[1].registers == false)
        #expect(catalog.registers)
        #expect(spec.gateway?.listen == "127.0.0.1:9080")
        #expect(spec.gateway?.configuration["routes"] == .array([.object(["path": .string("/catalog"), "upstream": .string("catalog")])]))
        #expect(spec.controlPlane == ControlPlaneSpec(listen: "127.0.0.1:0", store: "memory"))
        #expect(spec.build.configuration == .debug)
        #expect(spec.build.staticSwiftStdlib == false)
        #expect(spec.autoscaler == AutoscalerSettings(syncPeriod: .seconds(5), tolerance: 0.2))
    }

    @Test func defaultsApply() throws {
        let files = try SpecFiles()
        let spec = try AppSpecLoader.load(path: try files.write("name: tiny\nservices:\n  - name: one\n    product: one\n")).spec
        let service = spec.services[0]
        #expect(service.replicas == 1)
        #expect(service.health == HealthSpec())
        #expect(service.rollout == RolloutSpec(maxSurge: .percent(25), maxUnavailable: .percent(25)))
        #expect(service.autoscale == nil)
        #expect(service.drainPeriod == .seconds(1))
        #expect(spec.gateway == nil)
        #expect(spec.controlPlane == ControlPlaneSpec())
        #expect(spec.autoscaler.syncPeriod == .seconds(15))
        #expect(spec.build.configuration == .release)
        #expect(spec.build.staticSwiftStdlib)
    }

    @Test func staticLinkingFollowsSpec() throws {
        let files = try SpecFiles()
        let services = "services:\n  - name: one\n    product: one\n"
        let dynamic = try AppSpecLoader.load(path: try files.write("name: tiny\nbuild: {staticSwiftStdlib: false}\n" + services)).spec
        #expect(dynamic.build.swiftBuildArguments(product: "one") == ["build", "-c", "release", "--product", "one"])
        let debug = try AppSpecLoader.load(path: try files.write("name: tiny\nbuild: {configuration: debug, staticSwiftStdlib: true}\n" + services)).spec
        #expect(debug.build.swiftBuildArguments(product: "one") == ["build", "-c", "debug", "--static-swift-stdlib", "--product", "one"])
        #expect(BuildSpec().swiftBuildArguments(product: "one") == ["build", "-c", "release", "--static-swift-stdlib", "--product", "one"])
    }

    @Test func wireFormatRoundTrips() throws {
        let files = try SpecFiles()
        let spec = try AppSpecLoader.load(path: try files.write(Self.complete)).spec
        let data = try SpecCoding.encoder().encode(spec)
        let decoded = try SpecCoding.decoder().decode(AppSpec.self, from: data)
        #expect(decoded == spec)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"drainPeriod\":2"))
        #expect(text.contains("\"maxSurge\":1"))
        #expect(text.contains("\"cpu\":\"250m\""))
    }

    @Test func overridesReplaceValues() throws {
        let files = try SpecFiles()
        let path = try files.write(Self.complete)
        let spec = try AppSpecLoader.load(path: path, overrides: ["services[1].replicas=4"]).spec
        #expect(spec.services[1].replicas == 4)
    }

    @Test func startOrderFollowsDependencies() {
        var api = ServiceSpec(name: "api", product: "api")
        api.dependsOn = ["names", "store"]
        var names = ServiceSpec(name: "names", product: "names")
        names.dependsOn = ["store"]
        let store = ServiceSpec(name: "store", product: "store")
        #expect(DependencyGraph(services: [api, names, store]).startOrder() == ["store", "names", "api"])
    }
}
