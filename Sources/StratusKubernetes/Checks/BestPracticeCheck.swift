/// The rules every rendering must pass before anything is written. A
/// rendering that breaks one is a bug in the renderer or a spec that asks
/// for something unsafe, and both should stop the render.
///
/// - Every container of a Deployment or StatefulSet has readiness and
///   liveness probes, CPU and memory requests and a memory limit, and runs
///   as non-root.
/// - Every image names a tag other than `latest`, or a digest.
/// - Every Deployment has a PodDisruptionBudget that selects its pods.
/// - No ConfigMap value sits under a name that says it is a secret.
public enum BestPracticeCheck {
    public static func problems(in objects: [ManifestObject]) -> [String] {
        var problems: [String] = []
        let budgets = objects.filter { $0.kind == "PodDisruptionBudget" }.compactMap { $0.value["spec"]?["selector"]?["matchLabels"] }
        for object in objects {
            let subject = "\(object.kind) \(object.name)"
            switch object.kind {
            case "Deployment", "StatefulSet":
                let template = object.value["spec"]?["template"]
                let pod = template?["spec"]
                let podNonRoot = pod?["securityContext"]?["runAsNonRoot"] == .bool(true)
                for container in pod?["containers"]?.listValue ?? [] {
                    let name = "\(subject) container \(container["name"]?.stringValue ?? "?")"
                    problems += containerProblems(container, name: name, podNonRoot: podNonRoot)
                }
                if object.kind == "Deployment" {
                    let selector = object.value["spec"]?["selector"]?["matchLabels"]
                    if selector == nil || !budgets.contains(selector!) {
                        problems.append("\(subject) has no PodDisruptionBudget, so a node drain could stop all its pods at once")
                    }
                }
            case "ConfigMap":
                guard case .map(let entries) = object.value["data"] ?? .map([]) else { continue }
                for entry in entries where EnvironmentSplit.looksSecret(entry.key) && entry.value != .string("") {
                    problems.append("\(subject) holds \(entry.key), which looks like a secret; reference a Secret instead")
                }
            default:
                continue
            }
        }
        return problems
    }

    private static func containerProblems(_ container: ManifestValue, name: String, podNonRoot: Bool) -> [String] {
        var problems: [String] = []
        if container["readinessProbe"] == nil { problems.append("\(name) has no readiness probe") }
        if container["livenessProbe"] == nil { problems.append("\(name) has no liveness probe") }
        let resources = container["resources"]
        if resources?["requests"]?["cpu"] == nil || resources?["requests"]?["memory"] == nil {
            problems.append("\(name) has no CPU or memory request")
        }
        if resources?["limits"]?["memory"] == nil { problems.append("\(name) has no memory limit") }
        let nonRoot = container["securityContext"]?["runAsNonRoot"] == .bool(true) || podNonRoot
        if !nonRoot { problems.append("\(name) may run as root; set runAsNonRoot") }
        let image = container["image"]?.stringValue ?? ""
        if !hasPinnedTag(image) { problems.append("\(name) uses image \"\(image)\" without a tag other than latest") }
        return problems
    }

    /// Whether `image` names a digest or a tag other than `latest`.
    static func hasPinnedTag(_ image: String) -> Bool {
        if image.contains("@sha256:") { return true }
        let lastPart = image.split(separator: "/").last ?? ""
        guard let colon = lastPart.lastIndex(of: ":") else { return false }
        let tag = lastPart[lastPart.index(after: colon)...]
        return !tag.isEmpty && tag != "latest"
    }
}
