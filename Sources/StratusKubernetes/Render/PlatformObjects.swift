import StratusAppSpec

/// The platform components: the gateway, the control plane, and the etcd
/// and NATS JetStream clusters unless external ones are given.
struct PlatformObjects {
    static let stratusImage = "stratus"
    static let controlPlaneName = "stratus-controlplane"
    static let controlPlanePort = 7700
    static let gatewayName = "stratus-gateway"
    static let gatewayAdminPort = 9080
    static let etcdName = "stratus-etcd"
    static let etcdImage = "quay.io/coreos/etcd:v3.5.17"
    static let natsName = "stratus-nats"
    static let natsImage = "nats:2.10.22-alpine"
    static let clusterSize = 3

    let naming: Naming
    let spec: AppSpec
    let options: RenderOptions

    var controlPlaneURL: String { "http://\(Self.controlPlaneName):\(Self.controlPlanePort)" }

    var natsURL: String { options.natsURL ?? "nats://\(Self.natsName):4222" }

    func render() -> [ManifestObject] {
        var objects = controlPlane() + gateway()
        if options.etcdEndpoints == nil {
            objects += etcd()
        }
        if options.natsURL == nil {
            objects += nats()
        }
        return objects
    }

    /// etcd client URLs the control plane uses.
    private var etcdStoreSpec: String {
        let endpoints = options.etcdEndpoints ?? (0..<Self.clusterSize).map { "\(Self.etcdName)-\($0).\(Self.etcdName):2379" }
        return "etcd://" + endpoints.map { $0.replacingPrefix("http://") }.joined(separator: ",")
    }

    private func controlPlane() -> [ManifestObject] {
        let name = Self.controlPlaneName
        let container: ManifestValue = .object(
            ("name", .string("controlplane")),
            ("image", .string(naming.image(Self.stratusImage))),
            ("imagePullPolicy", .string("IfNotPresent")),
            ("args", .list([
                .string("controlplane"), .string("--store"), .string(etcdStoreSpec),
                .string("--listen"), .string("0.0.0.0:\(Self.controlPlanePort)"),
            ])),
            ("ports", .list([.object(("name", .string("http")), ("containerPort", .int(Self.controlPlanePort)), ("protocol", .string("TCP")))])),
            ("env", .list([PodParts.variable("STRATUS_LOG_FORMAT", "json")])),
            ("resources", PodParts.resources(ResourcesSpec())),
            ("readinessProbe", PodParts.httpProbe(path: "/readyz", port: "http", period: 5, timeout: 2, failureThreshold: 1)),
            ("livenessProbe", PodParts.httpProbe(path: "/healthz", port: "http", period: 10, timeout: 2, failureThreshold: 3)),
            ("securityContext", PodParts.containerSecurityContext),
            ("volumeMounts", .list([PodParts.scratchMount]))
        )
        return [
            Workloads.serviceAccount(naming: naming, name: name, role: "control-plane"),
            Workloads.deployment(
                naming: naming, name: name, role: "control-plane", replicas: 2,
                strategy: .object(("type", .string("RollingUpdate")), ("rollingUpdate", .object(("maxSurge", .int(1)), ("maxUnavailable", .int(0))))),
                annotations: PodParts.scrapeAnnotations(port: Self.controlPlanePort), grace: 30, serviceAccount: name,
                containers: [container], volumes: [PodParts.scratchVolume]
            ),
            Workloads.service(naming: naming, name: name, role: "control-plane", type: nil, ports: [("http", Self.controlPlanePort, "http")]),
            Workloads.disruptionBudget(naming: naming, name: name, role: "control-plane"),
        ]
    }

    private func gateway() -> [ManifestObject] {
        let name = Self.gatewayName
        let configuration = spec.gateway?.configuration ?? [:]
        let drain = PodParts.seconds(spec.gateway?.drainPeriod ?? .seconds(1))
        let container: ManifestValue = .object(
            ("name", .string("gateway")),
            ("image", .string(naming.image(Self.stratusImage))),
            ("imagePullPolicy", .string("IfNotPresent")),
            ("args", .list([
                .string("gateway"), .string("--config"), .string("/etc/stratus/gateway.yaml"),
                .string("--listen"), .string("0.0.0.0:\(PodParts.httpPort)"),
                .string("--admin-listen"), .string("0.0.0.0:\(Self.gatewayAdminPort)"),
            ])),
            ("ports", .list([
                .object(("name", .string("http")), ("containerPort", .int(PodParts.httpPort)), ("protocol", .string("TCP"))),
                .object(("name", .string("admin")), ("containerPort", .int(Self.gatewayAdminPort)), ("protocol", .string("TCP"))),
            ])),
            ("env", .list([
                PodParts.variable("STRATUS_CONTROLPLANE", controlPlaneURL),
                PodParts.variable("STRATUS_LOG_FORMAT", "json"),
                PodParts.variable("STRATUS_HEALTHCHECK_URL", "http://127.0.0.1:\(Self.gatewayAdminPort)/healthz"),
                .object(
                    ("name", .string("STRATUS_GATEWAY_ADMIN_TOKEN")),
                    ("valueFrom", .object(("secretKeyRef", .object(("name", .string("\(name)-admin")), ("key", .string("token"))))))
                ),
            ])),
            ("resources", PodParts.resources(ResourcesSpec())),
            ("readinessProbe", PodParts.httpProbe(path: "/readyz", port: "admin", period: 5, timeout: 2, failureThreshold: 1)),
            ("livenessProbe", PodParts.httpProbe(path: "/healthz", port: "admin", period: 10, timeout: 2, failureThreshold: 3)),
            ("lifecycle", .object(("preStop", .object(("sleep", .object(("seconds", .int(max(drain, 1))))))))),
            ("securityContext", PodParts.containerSecurityContext),
            ("volumeMounts", .list([
                PodParts.scratchMount,
                .object(("name", .string("config")), ("mountPath", .string("/etc/stratus")), ("readOnly", .bool(true))),
            ]))
        )
        let configVolume: ManifestValue = .object(("name", .string("config")), ("configMap", .object(("name", .string("\(name)-config")))))
        return [
            ManifestObject(kind: "ConfigMap", name: "\(name)-config", value: .object(
                ("apiVersion", .string("v1")),
                ("kind", .string("ConfigMap")),
                ("metadata", naming.metadata("\(name)-config", component: name, role: "gateway")),
                ("data", .object(("gateway.yaml", .string(YAMLEmitter.document(Self.manifestValue(.object(configuration)))))))
            )),
            Workloads.serviceAccount(naming: naming, name: name, role: "gateway"),
            Workloads.deployment(
                naming: naming, name: name, role: "gateway", replicas: 2,
                strategy: .object(("type", .string("RollingUpdate")), ("rollingUpdate", .object(("maxSurge", .int(1)), ("maxUnavailable", .int(0))))),
                annotations: PodParts.scrapeAnnotations(port: Self.gatewayAdminPort), grace: max(drain * 2 + 15, 30),
                serviceAccount: name, containers: [container], volumes: [PodParts.scratchVolume, configVolume]
            ),
            Workloads.service(naming: naming, name: name, role: "gateway", type: "LoadBalancer", ports: [("http", 80, "http")]),
            Workloads.service(naming: naming, name: "\(name)-admin", role: "gateway", type: nil, ports: [("admin", Self.gatewayAdminPort, "admin")], component: name),
            Workloads.disruptionBudget(naming: naming, name: name, role: "gateway"),
        ]
    }

    /// A three-member etcd cluster with a volume per member, one member per
    /// node, and a budget that keeps two of three (the quorum) running.
    private func etcd() -> [ManifestObject] {
        let name = Self.etcdName
        let selector = naming.selector(name)
        let members = (0..<Self.clusterSize).map { "\(name)-\($0)=http://\(name)-\($0).\(name):2380" }.joined(separator: ",")
        let container: ManifestValue = .object(
            ("name", .string("etcd")),
            ("image", .string(Self.etcdImage)),
            ("imagePullPolicy", .string("IfNotPresent")),
            ("command", .list([
                .string("etcd"),
                .string("--name=$(POD_NAME)"),
                .string("--data-dir=/var/lib/etcd"),
                .string("--listen-peer-urls=http://0.0.0.0:2380"),
                .string("--listen-client-urls=http://0.0.0.0:2379"),
                .string("--advertise-client-urls=http://$(POD_NAME).\(name):2379"),
                .string("--initial-advertise-peer-urls=http://$(POD_NAME).\(name):2380"),
                .string("--initial-cluster=\(members)"),
                .string("--initial-cluster-state=new"),
                .string("--initial-cluster-token=\(naming.namespace)-\(name)"),
            ])),
            ("ports", .list([
                .object(("name", .string("client")), ("containerPort", .int(2379)), ("protocol", .string("TCP"))),
                .object(("name", .string("peer")), ("containerPort", .int(2380)), ("protocol", .string("TCP"))),
            ])),
            ("env", .list([PodParts.fieldReference("POD_NAME", "metadata.name")])),
            ("resources", PodParts.resources(ResourcesSpec(
                requests: ResourceAmounts(cpu: CPUQuantity(millicores: 200), memory: MemoryQuantity(bytes: 256 << 20)),
                limits: ResourceAmounts(memory: MemoryQuantity(bytes: 1 << 30))
            ))),
            ("readinessProbe", PodParts.httpProbe(path: "/health", port: "client", period: 5, timeout: 2, failureThreshold: 3)),
            ("livenessProbe", .object(
                ("tcpSocket", .object(("port", .string("client")))),
                ("periodSeconds", .int(10)),
                ("timeoutSeconds", .int(2)),
                ("failureThreshold", .int(6))
            )),
            ("securityContext", PodParts.containerSecurityContext),
            ("volumeMounts", .list([.object(("name", .string("data")), ("mountPath", .string("/var/lib/etcd")))]))
        )
        return statefulSet(name: name, role: "store", selector: selector, container: container, ports: [("client", 2379, "client"), ("peer", 2380, "peer")])
    }

    /// A three-node NATS JetStream cluster, each node with its own volume.
    private func nats() -> [ManifestObject] {
        let name = Self.natsName
        let selector = naming.selector(name)
        let routes = (0..<Self.clusterSize).map { "nats://\(name)-\($0).\(name):6222" }.joined(separator: ", ")
        let configuration = """
            server_name: $POD_NAME
            listen: 0.0.0.0:4222
            http: 0.0.0.0:8222
            jetstream {
              store_dir: /data
            }
            cluster {
              name: \(naming.namespace)-\(name)
              listen: 0.0.0.0:6222
              routes: [\(routes)]
            }

            """
        let container: ManifestValue = .object(
            ("name", .string("nats")),
            ("image", .string(Self.natsImage)),
            ("imagePullPolicy", .string("IfNotPresent")),
            ("args", .list([.string("--config"), .string("/etc/nats/nats.conf")])),
            ("ports", .list([
                .object(("name", .string("client")), ("containerPort", .int(4222)), ("protocol", .string("TCP"))),
                .object(("name", .string("cluster")), ("containerPort", .int(6222)), ("protocol", .string("TCP"))),
                .object(("name", .string("monitor")), ("containerPort", .int(8222)), ("protocol", .string("TCP"))),
            ])),
            ("env", .list([PodParts.fieldReference("POD_NAME", "metadata.name")])),
            ("resources", PodParts.resources(ResourcesSpec(
                requests: ResourceAmounts(cpu: CPUQuantity(millicores: 200), memory: MemoryQuantity(bytes: 256 << 20)),
                limits: ResourceAmounts(memory: MemoryQuantity(bytes: 1 << 30))
            ))),
            ("readinessProbe", PodParts.httpProbe(path: "/healthz?js-enabled-only=true", port: "monitor", period: 5, timeout: 2, failureThreshold: 3)),
            ("livenessProbe", PodParts.httpProbe(path: "/healthz?js-enabled-only=true", port: "monitor", period: 10, timeout: 2, failureThreshold: 6)),
            ("securityContext", PodParts.containerSecurityContext),
            ("volumeMounts", .list([
                .object(("name", .string("data")), ("mountPath", .string("/data"))),
                .object(("name", .string("config")), ("mountPath", .string("/etc/nats")), ("readOnly", .bool(true))),
            ]))
        )
        let configMap = ManifestObject(kind: "ConfigMap", name: "\(name)-config", value: .object(
            ("apiVersion", .string("v1")),
            ("kind", .string("ConfigMap")),
            ("metadata", naming.metadata("\(name)-config", component: name, role: "event-bus")),
            ("data", .object(("nats.conf", .string(configuration))))
        ))
        let volume: ManifestValue = .object(("name", .string("config")), ("configMap", .object(("name", .string("\(name)-config")))))
        return [configMap] + statefulSet(
            name: name, role: "event-bus", selector: selector, container: container,
            ports: [("client", 4222, "client"), ("cluster", 6222, "cluster"), ("monitor", 8222, "monitor")], volumes: [volume]
        )
    }

    private func statefulSet(
        name: String, role: String, selector: ManifestValue, container: ManifestValue,
        ports: [(String, Int, String)], volumes: [ManifestValue] = []
    ) -> [ManifestObject] {
        [
            Workloads.serviceAccount(naming: naming, name: name, role: role),
            Workloads.service(naming: naming, name: name, role: role, type: nil, ports: ports, headless: true),
            ManifestObject(kind: "StatefulSet", name: name, value: .object(
                ("apiVersion", .string("apps/v1")),
                ("kind", .string("StatefulSet")),
                ("metadata", naming.metadata(name, component: name, role: role)),
                ("spec", .object(
                    ("serviceName", .string(name)),
                    ("replicas", .int(Self.clusterSize)),
                    ("podManagementPolicy", .string("Parallel")),
                    ("selector", .object(("matchLabels", selector))),
                    ("template", .object(
                        ("metadata", .object(("labels", naming.labels(name, role: role)))),
                        ("spec", Workloads.podSpec(
                            selector: selector, grace: 30, serviceAccount: name, containers: [container], volumes: volumes,
                            spread: false, affinity: Workloads.requiredAntiAffinity(selector)
                        ))
                    )),
                    ("volumeClaimTemplates", .list([Workloads.volumeClaim("data", size: "1Gi")]))
                ))
            )),
            Workloads.disruptionBudget(naming: naming, name: name, role: role),
        ]
    }

    /// Converts the gateway's pass-through configuration, with the keys of
    /// every mapping sorted.
    static func manifestValue(_ value: SpecValue) -> ManifestValue {
        switch value {
        case .null: .string("")
        case .bool(let flag): .bool(flag)
        case .integer(let number): .int(Int(number))
        case .number(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let items): .list(items.map(manifestValue))
        case .object(let entries): .map(entries.keys.sorted().map { ManifestEntry(key: $0, value: manifestValue(entries[$0]!)) })
        }
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
