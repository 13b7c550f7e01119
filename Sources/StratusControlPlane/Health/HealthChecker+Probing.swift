import StratusDiscovery
import StratusLog
import StratusTelemetry

extension HealthChecker {
    /// Probes `instance` every `periodSeconds` until the task is cancelled.
    /// The first probe waits `jitter(period)`. A probe that takes longer than
    /// a period delays the next one, so probes of one instance never overlap.
    func probeLoop(_ instance: ServiceInstance, check: HealthCheck, generation: UInt64, table: ProbeTable) async {
        let period = Duration.seconds(check.periodSeconds)
        let passed = metrics.probes(service: instance.service, outcome: .passed)
        let failed = metrics.probes(service: instance.service, outcome: .failed(reason: ""))
        var due = now + jitter(period)
        while true {
            do {
                try await sleep(until: due)
            } catch {
                return
            }
            let outcome = await probe(instance, check)
            guard !Task.isCancelled else { return }
            (outcome == .passed ? passed : failed).increment()
            await handle(outcome, of: instance, generation: generation, table: table)
            due = max(due + period, now)
        }
    }

    /// Feeds the outcome to the instance's state machine and writes the
    /// status change it calls for.
    private func handle(_ outcome: ProbeOutcome, of instance: ServiceInstance, generation: UInt64, table: ProbeTable) async {
        if case .failed(let reason) = outcome {
            logger.debug("health probe failed", metadata: metadata(instance, reason: reason))
        }
        let key = ProbeTable.Key(instance)
        switch table.record(outcome.event, for: key, generation: generation) {
        case .markUp?:
            await write(.up, for: instance, reason: nil, generation: generation, table: table)
        case .markDown?:
            guard case .failed(let reason) = outcome else { return }
            await write(.down, for: instance, reason: reason, generation: generation, table: table)
        case .noChange?, nil:
            return
        }
    }

    /// Sets the instance's status unless it is DRAINING now. A failed write
    /// is logged, and the next probe past the threshold retries it.
    private func write(_ status: InstanceStatus, for instance: ServiceInstance, reason: String?, generation: UInt64, table: ProbeTable) async {
        guard !Task.isCancelled else { return }
        let key = ProbeTable.Key(instance)
        do {
            let stored = try await registry.setStatus(service: instance.service, id: instance.id, status: status, unless: [.draining])
            table.observe(stored.status, for: key, generation: generation)
            guard stored.status == status else { return }
            metrics.countTransition(service: instance.service, to: status)
            logger.info(status == .down ? "instance marked DOWN" : "instance marked UP", metadata: metadata(instance, reason: reason))
        } catch where error.code == .notFound {
            logger.debug("instance deregistered before its status was set", metadata: metadata(instance, reason: nil))
        } catch {
            var details = metadata(instance, reason: "\(error)")
            details["instance.status"] = .string(status.rawValue)
            logger.warning("instance status update failed", metadata: details)
        }
    }

    /// Returns the log metadata of a probed instance. The endpoint is the
    /// one probed, with the check's port.
    private func metadata(_ instance: ServiceInstance, reason: String?) -> Logger.Metadata {
        var probed = instance
        probed.port = instance.healthCheck?.port ?? instance.port
        var metadata: Logger.Metadata = [
            "service.name": .string(instance.service),
            "instance.id": .string(instance.id),
            "upstream.endpoint": .string(probed.endpoint),
        ]
        if let reason {
            metadata["error"] = .string(reason)
        }
        return metadata
    }
}
