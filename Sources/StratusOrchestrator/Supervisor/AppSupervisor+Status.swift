import Foundation
import StratusAppSpec
import StratusLog
public import StratusControlPlane

extension AppSupervisor {
    /// Returns the observed state of the app.
    public func status() -> AppStatus {
        let services = (spec ?? lastSpec)?.services ?? []
        return AppStatus(
            app: configuration.app,
            phase: stopping ? "stopping" : (announcedReady ? "running" : "starting"),
            updatedAt: UTCTimestamp.now(),
            controlPlane: configuration.controlPlaneURL,
            gateway: gatewayURL,
            services: services.map(serviceStatus)
        )
    }

    private func serviceStatus(_ service: ServiceSpec) -> ServiceStatus {
        let deployment = deployments[service.name]
        let template = TemplateHash.of(service, deployment: deployment)
        let members = replicas.values.filter { $0.service == service.name }.sorted { $0.ordinal < $1.ordinal }
        let staying = members.filter { !$0.isLeaving }
        let updated = staying.filter { $0.template == template }
        let available = staying.filter { $0.isAvailable(requiresRegistration: service.registers) }
        let updatedAvailable = updated.filter { $0.isAvailable(requiresRegistration: service.registers) }.count
        let desired = desiredReplicas(service)
        let rollout = RolloutStatus(
            template: template,
            updatedReplicas: updated.count,
            updatedAvailable: updatedAvailable,
            oldReplicas: members.count - updated.count,
            complete: updatedAvailable == desired && members.count == desired
        )
        let autoscale = service.autoscale.map {
            AutoscaleStatus(min: $0.min, max: $0.max, targetCPUPercent: $0.targetCPUPercent, currentCPUPercent: utilization[service.name],
                            events: scalingEvents[service.name] ?? [])
        }
        return ServiceStatus(
            name: service.name,
            desiredReplicas: desired,
            readyReplicas: staying.filter(\.ready).count,
            availableReplicas: available.count,
            updatedReplicas: updated.count,
            restarts: members.reduce(0) { $0 + $1.restarts } + (retiredRestarts[service.name] ?? 0),
            crashLooping: members.contains { $0.state == "crash-looping" },
            rollout: rollout,
            autoscale: autoscale,
            replicas: members.map(replicaStatus)
        )
    }

    private func replicaStatus(_ replica: Replica) -> ReplicaStatus {
        ReplicaStatus(
            id: replica.id,
            pid: replica.pid,
            endpoint: replica.endpoint,
            state: replica.state,
            ready: replica.ready,
            registered: replica.registered,
            restarts: replica.restarts,
            template: replica.template,
            backoffDelays: replica.backoffDelays.map(SpecCoding.seconds),
            lastExit: replica.lastExit,
            cpuPercent: replica.cpuPercent,
            logFile: logPath(for: replica.id)
        )
    }

    /// Returns the service's desired count, within its autoscaler's bounds.
    func desiredReplicas(_ service: ServiceSpec) -> Int {
        let desired = deployments[service.name]?.replicas ?? service.replicas
        guard let autoscale = service.autoscale else { return desired }
        return min(max(desired, autoscale.min), autoscale.max)
    }

    /// Writes the status to the store when it changed, and at least every 5 s.
    func publishStatus() async {
        var current = status()
        let now = ContinuousClock.now
        if var previous = lastPublished, let at = lastPublishedAt, now - at < .seconds(5) {
            previous.updatedAt = current.updatedAt
            if previous == current { return }
        }
        current.updatedAt = UTCTimestamp.now()
        lastPublished = current
        lastPublishedAt = now
        try? await repository.writeStatus(current, lease: statusLease)
    }
}
