import StratusAppSpec
import Testing
@testable import StratusKubernetes

@Suite struct RenderRulesTests {
    func objects(_ spec: AppSpec, options: RenderOptions = RenderOptions(tag: "2.0.1"), single: Set<String> = []) throws -> [ManifestObject] {
        try KubernetesRenderer.renderObjects(spec, options: options, singleReplicaServices: single)
    }

    func object(_ objects: [ManifestObject], _ kind: String, _ name: String) throws -> ManifestValue {
        try #require(objects.first { $0.kind == kind && $0.name == name }?.value, "no \(kind) \(name)")
    }

    @Test func serviceGetsAtLeastTwoReplicas() throws {
        var spec = AppSpec(name: "shop", services: [ServiceSpec(name: "cart", product: "cart")])
        spec.services[0].replicas = 1
        let deployment = try object(try objects(spec), "Deployment", "cart")
        #expect(deployment["spec"]?["replicas"] == .int(2))
        let single = try object(try objects(spec, single: ["cart"]), "Deployment", "cart")
        #expect(single["spec"]?["replicas"] == .int(1))
    }

    @Test func autoscaledServiceLeavesReplicasToHPA() throws {
        var spec = AppSpec(name: "shop", services: [ServiceSpec(name: "cart", product: "cart")])
        spec.services[0].autoscale = AutoscaleSpec(min: 1, max: 5, targetCPUPercent: 60)
        let rendered = try objects(spec)
        let deployment = try object(rendered, "Deployment", "cart")
        #expect(deployment["spec"]?["replicas"] == nil)
        let autoscaler = try object(rendered, "HorizontalPodAutoscaler", "cart")
        #expect(autoscaler["spec"]?["minReplicas"] == .int(2))
        #expect(autoscaler["spec"]?["maxReplicas"] == .int(5))
    }

    @Test func secretReferenceBecomesSecretKeyRef() throws {
        var spec = AppSpec(name: "shop", services: [ServiceSpec(name: "cart", product: "cart")])
        spec.services[0].environment = ["DB_PASSWORD": "secret:cart-db/password", "MODE": "fast"]
        let rendered = try objects(spec)
        let configMap = try object(rendered, "ConfigMap", "cart-config")
        #expect(configMap["data"]?["MODE"] == .string("fast"))
        #expect(configMap["data"]?["DB_PASSWORD"] == nil)
        let container = try #require(try object(rendered, "Deployment", "cart")["spec"]?["template"]?["spec"]?["containers"]?.listValue?.first)
        let reference = container["env"]?.listValue?.first { $0["name"] == .string("DB_PASSWORD") }
        #expect(reference?["valueFrom"]?["secretKeyRef"]?["name"] == .string("cart-db"))
        #expect(reference?["valueFrom"]?["secretKeyRef"]?["key"] == .string("password"))
    }

    @Test func literalSecretIsRejected() {
        var spec = AppSpec(name: "shop", services: [ServiceSpec(name: "cart", product: "cart")])
        spec.services[0].environment = ["DB_PASSWORD": "hunter2"]
        #expect(throws: RenderError(["services[0].environment.DB_PASSWORD: a secret value would be written into a ConfigMap; create a Kubernetes Secret and write secret:NAME/KEY instead"])) {
            try objects(spec)
        }
    }

    @Test func malformedSecretReferenceIsRejected() {
        var spec = AppSpec(name: "shop", services: [ServiceSpec(name: "cart", product: "cart")])
        spec.services[0].environment = ["DB_URL": "secret:cart-db"]
        #expect(throws: RenderError(["services[0].environment.DB_URL: invalid secret reference \"secret:cart-db\"; expected secret:NAME/KEY, such as secret:cart-db/password"])) {
            try objects(spec)
        }
    }

    @Test func commandServiceIsRejected() {
        let spec = AppSpec(name: "shop", services: [ServiceSpec(name: "cart", command: "./cart.sh")])
        #expect(throws: RenderError(["services[0]: cart runs a command, not a package product; only products get images, so give it a product"])) {
            try objects(spec)
        }
    }

    @Test(arguments: [
        ("latest", "invalid --tag \"latest\"; expected a version or commit such as 1.4.2, not latest, so each rollout names the build it runs"),
        ("", "invalid --tag \"\"; expected a version or commit such as 1.4.2, not latest, so each rollout names the build it runs"),
        ("1.0 beta", "invalid --tag \"1.0 beta\"; expected letters, digits, \".\", \"_\" and \"-\", at most 128 characters"),
    ])
    func invalidTagIsRejected(tag: String, message: String) {
        let spec = AppSpec(name: "shop", services: [ServiceSpec(name: "cart", product: "cart")])
        #expect(throws: RenderError([message])) { try objects(spec, options: RenderOptions(tag: tag)) }
    }

    @Test func externalEtcdAndNatsReplaceClusters() throws {
        var options = RenderOptions(tag: "2.0.1")
        options.etcdEndpoints = ["http://etcd-a.store:2379", "http://etcd-b.store:2379"]
        options.natsURL = "nats://nats.messaging:4222"
        let rendered = try objects(AppSpec(name: "shop", services: [ServiceSpec(name: "cart", product: "cart")]), options: options)
        #expect(!rendered.contains { $0.kind == "StatefulSet" })
        let controlPlane = try object(rendered, "Deployment", "stratus-controlplane")
        let arguments = controlPlane["spec"]?["template"]?["spec"]?["containers"]?.listValue?.first?["args"]?.listValue ?? []
        #expect(arguments.contains(.string("etcd://etcd-a.store:2379,etcd-b.store:2379")))
        #expect(try object(rendered, "ConfigMap", "cart-config")["data"]?["STRATUS_NATS_URL"] == .string("nats://nats.messaging:4222"))
    }

    @Test func drainIsCoveredByGracePeriod() throws {
        var spec = AppSpec(name: "shop", services: [ServiceSpec(name: "cart", product: "cart")])
        spec.services[0].drainPeriod = .seconds(20)
        spec.services[0].terminationGracePeriod = .seconds(10)
        let pod = try object(try objects(spec), "Deployment", "cart")["spec"]?["template"]?["spec"]
        #expect(pod?["terminationGracePeriodSeconds"] == .int(55))
        let preStop = pod?["containers"]?.listValue?.first?["lifecycle"]?["preStop"]?["sleep"]?["seconds"]
        #expect(preStop == .int(20))
    }
}
