import StratusAppSpec

/// The pieces of pod specs that every component shares.
enum PodParts {
    /// The user id the images create and the pods run as.
    static let userID = 10001
    static let httpPort = 8080

    static func seconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }

    /// A pod security context: non-root, the runtime's seccomp profile.
    static let podSecurityContext: ManifestValue = .object(
        ("runAsNonRoot", .bool(true)),
        ("runAsUser", .int(userID)),
        ("runAsGroup", .int(userID)),
        ("fsGroup", .int(userID)),
        ("seccompProfile", .object(("type", .string("RuntimeDefault"))))
    )

    /// A container security context: read-only root filesystem, no
    /// privilege escalation, every capability dropped.
    static let containerSecurityContext: ManifestValue = .object(
        ("allowPrivilegeEscalation", .bool(false)),
        ("readOnlyRootFilesystem", .bool(true)),
        ("runAsNonRoot", .bool(true)),
        ("capabilities", .object(("drop", .list([.string("ALL")]))))
    )

    /// An HTTP GET probe on the named port.
    static func httpProbe(path: String, port: String, period: Int, timeout: Int, failureThreshold: Int) -> ManifestValue {
        .object(
            ("httpGet", .object(("path", .string(path)), ("port", .string(port)))),
            ("periodSeconds", .int(period)),
            ("timeoutSeconds", .int(timeout)),
            ("failureThreshold", .int(failureThreshold))
        )
    }

    /// Requests and limits, with defaults for what the spec leaves out: a
    /// pod without requests is scheduled blind, and one without a memory
    /// limit can take a node's memory.
    static func resources(_ spec: ResourcesSpec) -> ManifestValue {
        let requestCPU = spec.requests.cpu ?? CPUQuantity(millicores: 100)
        let requestMemory = spec.requests.memory ?? MemoryQuantity(bytes: 128 << 20)
        let limitMemory = spec.limits.memory ?? max(requestMemory, MemoryQuantity(bytes: 512 << 20))
        return .object(
            ("requests", .object(("cpu", .string(requestCPU.description)), ("memory", .string(requestMemory.description)))),
            ("limits", .object(
                ("cpu", spec.limits.cpu.map { .string($0.description) }),
                ("memory", .string(limitMemory.description))
            ))
        )
    }

    /// Spreads replicas over nodes (required) and zones (preferred), so the
    /// loss of one node takes at most one replica when there are enough nodes.
    static func topologySpread(_ selector: ManifestValue) -> ManifestValue {
        .list([
            .object(
                ("maxSkew", .int(1)),
                ("topologyKey", .string("kubernetes.io/hostname")),
                ("whenUnsatisfiable", .string("DoNotSchedule")),
                ("labelSelector", .object(("matchLabels", selector)))
            ),
            .object(
                ("maxSkew", .int(1)),
                ("topologyKey", .string("topology.kubernetes.io/zone")),
                ("whenUnsatisfiable", .string("ScheduleAnyway")),
                ("labelSelector", .object(("matchLabels", selector)))
            ),
        ])
    }

    /// Prometheus scrape annotations for the pod template.
    static func scrapeAnnotations(port: Int, path: String = "/metrics") -> ManifestValue {
        .object(
            ("prometheus.io/scrape", .string("true")),
            ("prometheus.io/port", .string("\(port)")),
            ("prometheus.io/path", .string(path))
        )
    }

    /// A writable scratch directory, since the root filesystem is read-only.
    static let scratchVolume: ManifestValue = .object(("name", .string("tmp")), ("emptyDir", .object()))
    static let scratchMount: ManifestValue = .object(("name", .string("tmp")), ("mountPath", .string("/tmp")))

    /// An environment variable taken from the pod's own fields.
    static func fieldReference(_ name: String, _ path: String) -> ManifestValue {
        .object(("name", .string(name)), ("valueFrom", .object(("fieldRef", .object(("fieldPath", .string(path)))))))
    }

    static func variable(_ name: String, _ value: String) -> ManifestValue {
        .object(("name", .string(name)), ("value", .string(value)))
    }
}
