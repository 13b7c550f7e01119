/// Builders of the workload objects that services and platform components
/// share.
enum Workloads {
    /// - Parameter replicas: nil when an HPA owns the replica count, so a
    ///   re-apply does not reset what the HPA chose.
    static func deployment(
        naming: Naming, name: String, role: String, replicas: Int?, strategy: ManifestValue,
        annotations: ManifestValue?, grace: Int, serviceAccount: String,
        containers: [ManifestValue], volumes: [ManifestValue]
    ) -> ManifestObject {
        let selector = naming.selector(name)
        return ManifestObject(kind: "Deployment", name: name, value: .object(
            ("apiVersion", .string("apps/v1")),
            ("kind", .string("Deployment")),
            ("metadata", naming.metadata(name, component: name, role: role)),
            ("spec", .object(
                ("replicas", replicas.map { .int($0) }),
                ("revisionHistoryLimit", .int(5)),
                ("selector", .object(("matchLabels", selector))),
                ("strategy", strategy),
                ("template", .object(
                    ("metadata", .object(("labels", naming.labels(name, role: role)), ("annotations", annotations))),
                    ("spec", podSpec(
                        selector: selector, grace: grace, serviceAccount: serviceAccount,
                        containers: containers, volumes: volumes, spread: true
                    ))
                ))
            ))
        ))
    }

    static func podSpec(
        selector: ManifestValue, grace: Int, serviceAccount: String, containers: [ManifestValue],
        volumes: [ManifestValue], spread: Bool, affinity: ManifestValue? = nil
    ) -> ManifestValue {
        .object(
            ("serviceAccountName", .string(serviceAccount)),
            ("automountServiceAccountToken", .bool(false)),
            ("terminationGracePeriodSeconds", .int(grace)),
            ("securityContext", PodParts.podSecurityContext),
            ("topologySpreadConstraints", spread ? PodParts.topologySpread(selector) : nil),
            ("affinity", affinity),
            ("containers", .list(containers)),
            ("volumes", volumes.isEmpty ? nil : .list(volumes))
        )
    }

    /// A Service; `type` nil is ClusterIP. Ports are (name, port, target).
    static func service(
        naming: Naming, name: String, role: String, type: String?, ports: [(String, Int, String)],
        component: String? = nil, headless: Bool = false
    ) -> ManifestObject {
        let component = component ?? name
        return ManifestObject(kind: "Service", name: name, value: .object(
            ("apiVersion", .string("v1")),
            ("kind", .string("Service")),
            ("metadata", naming.metadata(name, component: component, role: role)),
            ("spec", .object(
                ("type", type.map { .string($0) }),
                ("clusterIP", headless ? .string("None") : nil),
                ("publishNotReadyAddresses", headless ? .bool(true) : nil),
                ("selector", naming.selector(component)),
                ("ports", .list(ports.map { name, port, target in
                    .object(("name", .string(name)), ("port", .int(port)), ("targetPort", .string(target)), ("protocol", .string("TCP")))
                }))
            ))
        ))
    }

    /// A PodDisruptionBudget that lets a voluntary disruption (a node drain,
    /// an upgrade) take one pod at a time.
    static func disruptionBudget(naming: Naming, name: String, role: String) -> ManifestObject {
        ManifestObject(kind: "PodDisruptionBudget", name: name, value: .object(
            ("apiVersion", .string("policy/v1")),
            ("kind", .string("PodDisruptionBudget")),
            ("metadata", naming.metadata(name, component: name, role: role)),
            ("spec", .object(
                ("maxUnavailable", .int(1)),
                ("selector", .object(("matchLabels", naming.selector(name))))
            ))
        ))
    }

    static func serviceAccount(naming: Naming, name: String, role: String) -> ManifestObject {
        ManifestObject(kind: "ServiceAccount", name: name, value: .object(
            ("apiVersion", .string("v1")),
            ("kind", .string("ServiceAccount")),
            ("metadata", naming.metadata(name, component: name, role: role)),
            ("automountServiceAccountToken", .bool(false))
        ))
    }

    /// Keeps the pods of `selector` on different nodes.
    static func requiredAntiAffinity(_ selector: ManifestValue) -> ManifestValue {
        .object(("podAntiAffinity", .object(
            ("requiredDuringSchedulingIgnoredDuringExecution", .list([
                .object(
                    ("labelSelector", .object(("matchLabels", selector))),
                    ("topologyKey", .string("kubernetes.io/hostname"))
                ),
            ]))
        )))
    }

    static func volumeClaim(_ name: String, size: String) -> ManifestValue {
        .object(
            ("metadata", .object(("name", .string(name)))),
            ("spec", .object(
                ("accessModes", .list([.string("ReadWriteOnce")])),
                ("resources", .object(("requests", .object(("storage", .string(size))))))
            ))
        )
    }
}
