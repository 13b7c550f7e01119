import Glibc
import StratusAppSpec
import StratusControlPlane
import StratusDiscovery
import StratusLog

extension AppSupervisor {
    /// Compares what runs with the desired state and acts: fires due
    /// timers, then starts and removes replicas service by service, in
    /// dependency order.
    func reconcile() {
        guard !stopping else { return }
        let now = ContinuousClock.now
        fireTimers(now: now)
        guard let spec else { return }
        for name in DependencyGraph(services: spec.services).startOrder() {
            guard let service = spec.service(named: name) else { continue }
            reconcile(service, now: now)
        }
        for (id, replica) in replicas where spec.service(named: replica.service) == nil {
            beginRemoval(id, now: now)
        }
        checkAvailability()
    }

    private func reconcile(_ service: ServiceSpec, now: ContinuousClock.Instant) {
        let deployment = deployments[service.name]
        let desired = deployment?.replicas ?? service.replicas
        let template = TemplateHash.of(service, deployment: deployment)
        let staying = replicas.values.filter { $0.service == service.name && !$0.isLeaving }
        let candidates = staying.map {
            RolloutPlanner.Candidate(id: $0.id, ordinal: $0.ordinal, template: $0.template, available: $0.isAvailable(requiresRegistration: service.registers))
        }
        let limits = service.rollout.limits(replicas: desired)
        let plan = RolloutPlanner.plan(candidates, desired: desired, template: template, maxSurge: limits.maxSurge, maxUnavailable: limits.maxUnavailable)
        for id in plan.remove {
            beginRemoval(id, now: now)
        }
        guard plan.start > 0, dependenciesReady(service) else { return }
        for _ in 0..<plan.start {
            let replica = Replica(service: service.name, ordinal: freeOrdinal(for: service.name), template: template, now: now)
            replicas[replica.id] = replica
            launch(replica.id, now: now)
        }
    }

    /// Returns whether every service that `service` depends on has a ready replica.
    func dependenciesReady(_ service: ServiceSpec) -> Bool {
        service.dependsOn.allSatisfy { dependency in
            replicas.values.contains { $0.service == dependency && $0.ready }
        }
    }

    /// Returns the smallest ordinal, from 1, that no replica of the service uses.
    private func freeOrdinal(for service: String) -> Int {
        let used = Set(replicas.values.filter { $0.service == service }.map(\.ordinal))
        return (1...).first { !used.contains($0) }!
    }

    /// Starts restarts whose back-off ended, SIGTERM after a drain period
    /// and SIGKILL after a grace period.
    private func fireTimers(now: ContinuousClock.Instant) {
        for id in replicas.keys.sorted() {
            guard let replica = replicas[id] else { continue }
            if let killAt = replica.livenessKillAt, killAt <= now, !replica.killed, let pid = replica.pid {
                kill(-pid, SIGKILL)
                replicas[id]?.killed = true
            }
            switch replica.phase {
            case .waiting(let until) where until <= now:
                launch(id, now: now)
            case .draining(let until) where until <= now:
                terminate(id, now: now)
            case .terminating(let killAt) where killAt <= now && !replica.killed:
                if let pid = replica.pid {
                    announce("\(id) did not exit within its termination grace period; sending SIGKILL")
                    kill(-pid, SIGKILL)
                }
                replicas[id]?.killed = true
            default:
                break
            }
        }
    }

    /// Removes a replica from routing, then stops it: marked DRAINING in the
    /// registry, SIGTERM after the service's drain period, SIGKILL after its
    /// termination grace period. A replica without a process goes at once.
    func beginRemoval(_ id: String, now: ContinuousClock.Instant) {
        guard let replica = replicas[id], !replica.isLeaving else { return }
        guard replica.pid != nil else {
            retire(id)
            return
        }
        let service = spec?.service(named: replica.service)
        guard replica.registered, let service else {
            terminate(id, now: now)
            return
        }
        replicas[id]?.phase = .draining(until: now + service.drainPeriod)
        replicas[id]?.ready = false
        let registry = registry
        Task {
            _ = try? await registry.setStatus(service: replica.service, id: id, status: .draining)
        }
    }

    /// Sends SIGTERM to the replica's process group.
    func terminate(_ id: String, now: ContinuousClock.Instant) {
        guard let replica = replicas[id] else { return }
        guard let pid = replica.pid else {
            retire(id)
            return
        }
        let grace = spec?.service(named: replica.service)?.terminationGracePeriod ?? .seconds(30)
        replicas[id]?.phase = .terminating(killAt: now + grace)
        replicas[id]?.ready = false
        kill(-pid, SIGTERM)
    }

    /// Resumes `waitUntilAvailable` and prints the banner once every service
    /// has its desired replicas available.
    private func checkAvailability() {
        guard !announcedReady, let spec, gatewayReady else { return }
        for service in spec.services {
            let desired = deployments[service.name]?.replicas ?? service.replicas
            let available = replicas.values.filter { $0.service == service.name && $0.isAvailable(requiresRegistration: service.registers) }.count
            guard available >= desired else { return }
        }
        announcedReady = true
        for waiter in readyWaiters { waiter.resume() }
        readyWaiters = []
    }

    /// Writes an orchestrator message to the terminal and the log.
    func announce(_ message: String) {
        configuration.terminal?.write(message, from: "stratus", color: 0)
        configuration.logger.info("\(message)")
    }
}
