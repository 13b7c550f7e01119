import StratusAppSpec
import Testing
@testable import StratusKubernetes

@Suite struct BestPracticeCheckTests {
    static func rendered() throws -> [ManifestObject] {
        try KubernetesRenderer.renderObjects(AppSpec(name: "shop", services: [ServiceSpec(name: "cart", product: "cart")]), options: RenderOptions(tag: "3.1.0"))
    }

    /// Returns the objects with `change` applied to the cart Deployment's
    /// first container.
    static func changingContainer(_ change: (inout [ManifestEntry]) -> Void) throws -> [ManifestObject] {
        try rendered().map { object in
            guard object.kind == "Deployment", object.name == "cart" else { return object }
            var copy = object
            copy.value = edit(object.value, path: ["spec", "template", "spec", "containers"]) { containers in
                guard case .list(var items) = containers, case .map(var entries) = items[0] else { return containers }
                change(&entries)
                items[0] = .map(entries)
                return .list(items)
            }
            return copy
        }
    }

    static func edit(_ value: ManifestValue, path: [String], _ change: (ManifestValue) -> ManifestValue) -> ManifestValue {
        guard let key = path.first, case .map(var entries) = value, let index = entries.firstIndex(where: { $0.key == key }) else {
            return value
        }
        entries[index].value = path.count == 1 ? change(entries[index].value) : edit(entries[index].value, path: Array(path.dropFirst()), change)
        return .map(entries)
    }

    @Test func renderedObjectsPass() throws {
        #expect(BestPracticeCheck.problems(in: try Self.rendered()).isEmpty)
    }

    @Test(arguments: [
        ("readinessProbe", "Deployment cart container cart has no readiness probe"),
        ("livenessProbe", "Deployment cart container cart has no liveness probe"),
        ("resources", "Deployment cart container cart has no CPU or memory request"),
    ])
    func missingFieldIsReported(field: String, message: String) throws {
        let objects = try Self.changingContainer { $0.removeAll { $0.key == field } }
        #expect(BestPracticeCheck.problems(in: objects).contains(message))
    }

    @Test func rootContainerIsReported() throws {
        var objects = try Self.changingContainer { $0.removeAll { $0.key == "securityContext" } }
        objects = objects.map { object in
            guard object.kind == "Deployment", object.name == "cart" else { return object }
            var copy = object
            copy.value = Self.edit(object.value, path: ["spec", "template", "spec", "securityContext"]) { _ in .object() }
            return copy
        }
        #expect(BestPracticeCheck.problems(in: objects) == ["Deployment cart container cart may run as root; set runAsNonRoot"])
    }

    @Test func latestTagIsReported() throws {
        let objects = try Self.changingContainer { entries in
            entries = entries.map { $0.key == "image" ? ManifestEntry(key: "image", value: .string("cart:latest")) : $0 }
        }
        #expect(BestPracticeCheck.problems(in: objects) == ["Deployment cart container cart uses image \"cart:latest\" without a tag other than latest"])
    }

    @Test func missingBudgetIsReported() throws {
        let objects = try Self.rendered().filter { !($0.kind == "PodDisruptionBudget" && $0.name == "cart") }
        #expect(BestPracticeCheck.problems(in: objects) == ["Deployment cart has no PodDisruptionBudget, so a node drain could stop all its pods at once"])
    }

    @Test func secretInConfigMapIsReported() throws {
        let objects = try Self.rendered().map { object in
            guard object.kind == "ConfigMap", object.name == "cart-config" else { return object }
            var copy = object
            copy.value = Self.edit(object.value, path: ["data"]) { data in
                guard case .map(let entries) = data else { return data }
                return .map(entries + [ManifestEntry(key: "API_TOKEN", value: .string("abc123"))])
            }
            return copy
        }
        #expect(BestPracticeCheck.problems(in: objects) == ["ConfigMap cart-config holds API_TOKEN, which looks like a secret; reference a Secret instead"])
    }

    @Test(arguments: [
        ("cart:1.0", true), ("registry:5000/cart:1.0", true), ("cart@sha256:abc", true),
        ("cart", false), ("cart:latest", false), ("registry:5000/cart", false),
    ])
    func imageTagRule(image: String, pinned: Bool) {
        #expect(BestPracticeCheck.hasPinnedTag(image) == pinned)
    }
}
