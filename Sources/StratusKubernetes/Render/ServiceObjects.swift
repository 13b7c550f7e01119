import StratusAppSpec

/// The objects of one service: a ConfigMap, a ServiceAccount, a Deployment,
/// a ClusterIP Service, a PodDisruptionBudget, and an HPA when the spec
/// autoscales it.
struct ServiceObjects {
    let naming: Naming
    let service: ServiceSpec
    let index: Int
    let replicas: Int
    let controlPlaneURL: String
    let natsURL: String

    func render() throws(RenderError) -> [ManifestObject] {
        guard let product = service.product else {
            throw RenderError(["services[\(index)]: \(service.name) runs a command, not a package product; only products get images, so give it a product"])
        }
        let environment = EnvironmentSplit(service: service.name, index: index, environment: service.environment)
        guard environment.problems.isEmpty else { throw RenderError(environment.problems) }
        let name = service.name
        var objects = [
            configMap(environment.plain),
            Workloads.serviceAccount(naming: naming, name: name, role: "service"),
            deployment(product: product, secrets: environment.secretReferences),
            clusterService(),
        ]
        objects.append(Workloads.disruptionBudget(naming: naming, name: name, role: "service"))
        if let autoscale = service.autoscale {
            objects.append(autoscaler(autoscale))
        }
        return objects
    }

    /// The kit's own settings for a pod, then the spec's variables.
    private func configMap(_ plain: [String: String]) -> ManifestObject {
        let prefix = Naming.environmentPrefix(service.name)
        var data = plain
        data["\(prefix)_SERVER_HOST"] = "0.0.0.0"
        data["\(prefix)_SERVER_PORT"] = "\(PodParts.httpPort)"
        data["\(prefix)_SERVER_DRAINPERIOD"] = "\(PodParts.seconds(service.drainPeriod))s"
        data["STRATUS_CONTROLPLANE"] = controlPlaneURL
        data["STRATUS_NATS_URL"] = natsURL
        data["STRATUS_LOG_FORMAT"] = "json"
        return ManifestObject(kind: "ConfigMap", name: "\(service.name)-config", value: .object(
            ("apiVersion", .string("v1")),
            ("kind", .string("ConfigMap")),
            ("metadata", naming.metadata("\(service.name)-config", component: service.name, role: "service")),
            ("data", .strings(data))
        ))
    }

    private func deployment(product: String, secrets: [(variable: String, secret: String, key: String)]) -> ManifestObject {
        let name = service.name
        let prefix = Naming.environmentPrefix(name)
        let health = service.health
        // The local defaults probe every second; a cluster probes less often
        // so that a brief pause (a GC-free but busy node) does not flap.
        let period = max(PodParts.seconds(health.period), 1)
        let readinessPeriod = max(period, 2)
        let livenessPeriod = max(period, 5)
        let timeout = max(PodParts.seconds(health.timeout), 1)
        let drain = PodParts.seconds(service.drainPeriod)
        // preStop waits while the endpoint is removed, then the kit drains
        // again after SIGTERM and stops within its shutdown timeout (10 s).
        let grace = max(PodParts.seconds(service.terminationGracePeriod), drain * 2 + 10 + 5)
        var env: [ManifestValue] = [
            PodParts.fieldReference("STRATUS_INSTANCE_ID", "metadata.name"),
            PodParts.fieldReference("\(prefix)_SERVER_ADVERTISEADDRESS", "status.podIP"),
        ]
        env += secrets.map { reference in
            .object(
                ("name", .string(reference.variable)),
                ("valueFrom", .object(("secretKeyRef", .object(("name", .string(reference.secret)), ("key", .string(reference.key))))))
            )
        }
        let container: ManifestValue = .object(
            ("name", .string(name)),
            ("image", .string(naming.image(product))),
            ("imagePullPolicy", .string("IfNotPresent")),
            ("args", service.arguments.isEmpty ? nil : .list(service.arguments.map { .string($0) })),
            ("ports", .list([.object(("name", .string("http")), ("containerPort", .int(PodParts.httpPort)), ("protocol", .string("TCP")))])),
            ("envFrom", .list([.object(("configMapRef", .object(("name", .string("\(name)-config")))))])),
            ("env", .list(env)),
            ("resources", PodParts.resources(service.resources)),
            ("startupProbe", PodParts.httpProbe(
                path: health.livenessPath, port: "http", period: readinessPeriod, timeout: timeout,
                failureThreshold: max((PodParts.seconds(health.startupGrace) + readinessPeriod - 1) / readinessPeriod, 1)
            )),
            ("readinessProbe", PodParts.httpProbe(path: health.readinessPath, port: "http", period: readinessPeriod, timeout: timeout, failureThreshold: 2)),
            ("livenessProbe", PodParts.httpProbe(
                path: health.livenessPath, port: "http", period: livenessPeriod, timeout: timeout, failureThreshold: health.failureThreshold
            )),
            ("lifecycle", .object(("preStop", .object(("sleep", .object(("seconds", .int(max(drain, 1))))))))),
            ("securityContext", PodParts.containerSecurityContext),
            ("volumeMounts", .list([PodParts.scratchMount]))
        )
        let (surge, unavailable) = (service.rollout.maxSurge, service.rollout.maxUnavailable)
        return Workloads.deployment(
            naming: naming, name: name, role: "service", replicas: service.autoscale == nil ? replicas : nil,
            strategy: .object(
                ("type", .string("RollingUpdate")),
                ("rollingUpdate", .object(("maxSurge", Self.intOrPercent(surge)), ("maxUnavailable", Self.intOrPercent(unavailable))))
            ),
            annotations: PodParts.scrapeAnnotations(port: PodParts.httpPort),
            grace: grace, serviceAccount: name, containers: [container], volumes: [PodParts.scratchVolume]
        )
    }

    private func clusterService() -> ManifestObject {
        Workloads.service(naming: naming, name: service.name, role: "service", type: nil, ports: [("http", 80, "http")])
    }

    private func autoscaler(_ autoscale: AutoscaleSpec) -> ManifestObject {
        let name = service.name
        let minimum = max(autoscale.min, replicas >= 2 ? 2 : 1)
        return ManifestObject(kind: "HorizontalPodAutoscaler", name: name, value: .object(
            ("apiVersion", .string("autoscaling/v2")),
            ("kind", .string("HorizontalPodAutoscaler")),
            ("metadata", naming.metadata(name, component: name, role: "service")),
            ("spec", .object(
                ("scaleTargetRef", .object(("apiVersion", .string("apps/v1")), ("kind", .string("Deployment")), ("name", .string(name)))),
                ("minReplicas", .int(minimum)),
                ("maxReplicas", .int(max(autoscale.max, minimum))),
                ("metrics", .list([
                    Self.utilization("cpu", autoscale.targetCPUPercent),
                    Self.utilization("memory", 80),
                ])),
                ("behavior", .object(
                    ("scaleDown", .object(("stabilizationWindowSeconds", .int(PodParts.seconds(autoscale.scaleDownStabilization)))))
                ))
            ))
        ))
    }

    private static func utilization(_ resource: String, _ percent: Int) -> ManifestValue {
        .object(
            ("type", .string("Resource")),
            ("resource", .object(
                ("name", .string(resource)),
                ("target", .object(("type", .string("Utilization")), ("averageUtilization", .int(percent))))
            ))
        )
    }

    static func intOrPercent(_ value: IntOrPercent) -> ManifestValue {
        switch value {
        case .count(let count): .int(count)
        case .percent: .string(value.description)
        }
    }
}
