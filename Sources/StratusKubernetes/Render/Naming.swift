import StratusAppSpec

/// The names and labels every rendered object uses.
struct Naming: Sendable {
    let app: String
    let namespace: String
    let imagePrefix: String
    let tag: String

    /// The labels of a component's pods, also its selector.
    func selector(_ component: String) -> ManifestValue {
        .object(
            ("app.kubernetes.io/name", .string(component)),
            ("app.kubernetes.io/part-of", .string(app))
        )
    }

    /// The selector labels plus the version and the manager.
    func labels(_ component: String, role: String) -> ManifestValue {
        .object(
            ("app.kubernetes.io/name", .string(component)),
            ("app.kubernetes.io/part-of", .string(app)),
            ("app.kubernetes.io/component", .string(role)),
            ("app.kubernetes.io/version", .string(tag)),
            ("app.kubernetes.io/managed-by", .string("stratus"))
        )
    }

    func metadata(_ name: String, component: String, role: String, annotations: ManifestValue? = nil) -> ManifestValue {
        .object(
            ("name", .string(name)),
            ("namespace", .string(namespace)),
            ("labels", labels(component, role: role)),
            ("annotations", annotations)
        )
    }

    /// The image of a product: `<prefix><product>:<tag>`.
    func image(_ product: String) -> String {
        "\(imagePrefix)\(product):\(tag)"
    }

    /// The prefix of a kit service's environment overrides, such as
    /// `IAM_APISERVER` for iam-apiserver.
    static func environmentPrefix(_ service: String) -> String {
        String(service.uppercased().map { $0 == "-" ? "_" : $0 })
    }
}
