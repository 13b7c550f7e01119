public import StratusAppSpec

/// One file of a rendering.
public struct RenderedFile: Sendable, Hashable {
    public var name: String
    public var contents: String

    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}

/// Renders an app spec into the manifests of a highly available
/// deployment: one file per object kind, objects sorted by name, and a
/// `kustomization.yaml` that lists the files, so `kubectl apply -k DIR`
/// applies everything. The same spec and options always give the same bytes.
public enum KubernetesRenderer {
    /// Services rendered with fewer than this many replicas get this many,
    /// unless they are listed in `singleReplicaServices`.
    public static let minimumReplicas = 2

    /// - Parameter singleReplicaServices: services that may run with the
    ///   replica count of the spec even when it is below two.
    /// - Throws: `RenderError` listing every problem; nothing is rendered then.
    public static func render(_ spec: AppSpec, options: RenderOptions, singleReplicaServices: Set<String> = []) throws(RenderError) -> [RenderedFile] {
        let objects = try renderObjects(spec, options: options, singleReplicaServices: singleReplicaServices)
        let problems = BestPracticeCheck.problems(in: objects)
        guard problems.isEmpty else { throw RenderError(problems) }
        return files(objects, namespace: objects.first { $0.kind == "Namespace" }?.name ?? spec.name)
    }

    /// Returns every object, without the best-practice check.
    public static func renderObjects(_ spec: AppSpec, options: RenderOptions, singleReplicaServices: Set<String> = []) throws(RenderError) -> [ManifestObject] {
        var problems = validate(options)
        for name in singleReplicaServices where spec.service(named: name) == nil {
            problems.append("--allow-single-replica \(name): no service of that name in the app spec")
        }
        guard problems.isEmpty else { throw RenderError(problems) }
        let namespace = options.namespace ?? spec.name
        let naming = Naming(app: spec.name, namespace: namespace, imagePrefix: options.imagePrefix, tag: options.tag)
        let platform = PlatformObjects(naming: naming, spec: spec, options: options)
        var objects = [ManifestObject(kind: "Namespace", name: namespace, value: .object(
            ("apiVersion", .string("v1")),
            ("kind", .string("Namespace")),
            ("metadata", .object(
                ("name", .string(namespace)),
                ("labels", .object(
                    ("app.kubernetes.io/part-of", .string(spec.name)),
                    ("pod-security.kubernetes.io/enforce", .string("restricted"))
                ))
            ))
        ))]
        for (index, service) in spec.services.enumerated() {
            let replicas = singleReplicaServices.contains(service.name) ? service.replicas : max(service.replicas, minimumReplicas)
            let rendered = ServiceObjects(
                naming: naming, service: service, index: index, replicas: replicas,
                controlPlaneURL: platform.controlPlaneURL, natsURL: platform.natsURL
            )
            do {
                objects += try rendered.render()
            } catch {
                problems += error.problems
            }
        }
        guard problems.isEmpty else { throw RenderError(problems) }
        objects += platform.render()
        if options.prometheusOperator {
            objects += MonitoringObjects(naming: naming).render()
        }
        return objects
    }

    private static func validate(_ options: RenderOptions) -> [String] {
        var problems: [String] = []
        if options.tag.isEmpty || options.tag == "latest" {
            problems.append("invalid --tag \"\(options.tag)\"; expected a version or commit such as 1.4.2, not latest, so each rollout names the build it runs")
        } else if !options.tag.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) || options.tag.count > 128 {
            problems.append("invalid --tag \"\(options.tag)\"; expected letters, digits, \".\", \"_\" and \"-\", at most 128 characters")
        }
        if let namespace = options.namespace, !isDNSLabel(namespace) {
            problems.append("invalid --namespace \"\(namespace)\"; expected lowercase letters, digits and \"-\", starting with a letter, at most 63 characters")
        }
        if !options.imagePrefix.isEmpty && !options.imagePrefix.hasSuffix("/") {
            problems.append("invalid --image-prefix \"\(options.imagePrefix)\"; expected a registry path ending in \"/\", such as registry.internal:5000/iam/")
        }
        for endpoint in options.etcdEndpoints ?? [] where endpoint.isEmpty || endpoint.contains(",") {
            problems.append("invalid --etcd endpoint \"\(endpoint)\"; expected host:port or http://host:port")
        }
        if let nats = options.natsURL, !nats.hasPrefix("nats://") {
            problems.append("invalid --nats \"\(nats)\"; expected a nats:// URL such as nats://nats.messaging:4222")
        }
        return problems
    }

    static func isDNSLabel(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.utf8.count <= 63, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" } && !text.hasSuffix("-")
    }

    /// The file name of each kind, in the order `kubectl` should apply them.
    static let fileOrder: [(kind: String, file: String)] = [
        ("Namespace", "namespace.yaml"),
        ("ServiceAccount", "serviceaccounts.yaml"),
        ("ConfigMap", "configmaps.yaml"),
        ("Service", "services.yaml"),
        ("StatefulSet", "statefulsets.yaml"),
        ("Deployment", "deployments.yaml"),
        ("PodDisruptionBudget", "poddisruptionbudgets.yaml"),
        ("HorizontalPodAutoscaler", "horizontalpodautoscalers.yaml"),
        ("ServiceMonitor", "servicemonitors.yaml"),
        ("PrometheusRule", "prometheusrules.yaml"),
    ]

    static func files(_ objects: [ManifestObject], namespace: String) -> [RenderedFile] {
        var files: [RenderedFile] = []
        for (kind, file) in fileOrder {
            let ofKind = objects.filter { $0.kind == kind }.sorted { $0.name < $1.name }
            guard !ofKind.isEmpty else { continue }
            let documents = ofKind.map { YAMLEmitter.document($0.value) }
            files.append(RenderedFile(name: file, contents: "---\n" + documents.joined(separator: "---\n")))
        }
        let kustomization: ManifestValue = .object(
            ("apiVersion", .string("kustomize.config.k8s.io/v1beta1")),
            ("kind", .string("Kustomization")),
            ("namespace", .string(namespace)),
            ("resources", .list(files.map { .string($0.name) }))
        )
        files.append(RenderedFile(name: "kustomization.yaml", contents: YAMLEmitter.document(kustomization)))
        return files
    }
}
