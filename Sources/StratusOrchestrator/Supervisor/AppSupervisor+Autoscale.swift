import Foundation
import StratusAppSpec
import StratusLog
import StratusControlPlane

extension AppSupervisor {
    /// Measures CPU and resizes autoscaled services every sync period.
    func runAutoscaler() async {
        while !Task.isCancelled && !stopping {
            let period = (spec ?? lastSpec)?.autoscaler.syncPeriod ?? .seconds(15)
            try? await Task.sleep(for: period)
            await autoscale(now: .now)
        }
    }

    /// Runs one sync: samples every running replica's CPU time, then applies
    /// the HPA formula to each autoscaled service.
    func autoscale(now: ContinuousClock.Instant) async {
        sampleCPU(now: now)
        guard let spec, !stopping else { return }
        for service in spec.services {
            guard let autoscale = service.autoscale else { continue }
            let measured = replicas.values.filter { $0.service == service.name && $0.ready && !$0.isLeaving }.compactMap(\.cpuPercent)
            guard !measured.isEmpty else { continue }
            // Utilization is in percent of the CPU request when one is set,
            // as Kubernetes computes it, otherwise of one CPU.
            let base = service.resources.requests.cpu.map { Double($0.millicores) / 10 } ?? 100
            let value = measured.reduce(0, +) / Double(measured.count) / base * 100
            utilization[service.name] = value
            var scaler = autoscalers[service.name].flatMap { $0.spec == autoscale ? $0 : nil }
                ?? HorizontalAutoscaler(spec: autoscale, tolerance: spec.autoscaler.tolerance)
            let current = desiredReplicas(service)
            let decision = scaler.recommend(current: current, utilization: value, at: now)
            autoscalers[service.name] = scaler
            guard decision.replicas != current else { continue }
            await scale(service.name, from: current, to: decision.replicas, reason: decision.reason)
        }
    }

    private func scale(_ service: String, from current: Int, to replicas: Int, reason: String) async {
        do {
            let deployment = try await repository.updateDeployment(app: configuration.app, service: service) { $0.replicas = replicas }
            deployments[service] = deployment
        } catch {
            announce("autoscaler: cannot scale \(service) to \(replicas): \(error)")
            return
        }
        let event = ScalingEvent(time: UTCTimestamp.now(), from: current, to: replicas, reason: reason)
        scalingEvents[service, default: []].append(event)
        if scalingEvents[service]!.count > 20 {
            scalingEvents[service]!.removeFirst()
        }
        announce("autoscaler: \(service) \(current) -> \(replicas) replicas (\(reason))")
        reconcile()
    }

    /// Updates each running replica's CPU use since its previous sample, in
    /// percent of one CPU.
    func sampleCPU(now: ContinuousClock.Instant) {
        for id in replicas.keys {
            guard let pid = replicas[id]?.pid, let time = ProcessCPUTime.read(pid) else {
                replicas[id]?.cpuSample = nil
                continue
            }
            if let previous = replicas[id]?.cpuSample, now > previous.at {
                let used = SpecCoding.seconds(time - previous.time)
                let elapsed = SpecCoding.seconds(now - previous.at)
                replicas[id]?.cpuPercent = max(used / elapsed * 100, 0)
            }
            replicas[id]?.cpuSample = (now, time)
        }
    }
}
