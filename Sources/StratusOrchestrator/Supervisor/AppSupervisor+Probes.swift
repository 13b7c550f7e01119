import Glibc
import StratusAppSpec
import StratusControlPlane
import StratusDiscovery
import StratusHTTP

extension AppSupervisor {
    /// One round of probes of a replica.
    struct ProbeResult: Sendable {
        var ready: Bool
        /// nil when the liveness probe was not run.
        var alive: Bool?
        var registered: Bool
    }

    /// Probes the replica's process every `health.period` until the process
    /// is gone, reporting each round to the supervisor.
    func startProbing(_ id: String, pid: pid_t, service: ServiceSpec) {
        let client = probeClient
        let registry = registry
        Task {
            while let port = self.probeTarget(id, pid: pid) {
                let result = await Self.probe(port: port, id: id, service: service, client: client, registry: registry)
                self.record(result, for: id, pid: pid)
                try? await Task.sleep(for: service.health.enabled ? service.health.period : .milliseconds(200))
            }
        }
    }

    /// Returns the port to probe, nil once the process `pid` no longer runs for `id`.
    private func probeTarget(_ id: String, pid: pid_t) -> Int? {
        guard let replica = replicas[id], replica.pid == pid else { return nil }
        return replica.port
    }

    private static func probe(port: Int, id: String, service: ServiceSpec, client: HTTPClient, registry: Registry) async -> ProbeResult {
        guard service.health.enabled else {
            return ProbeResult(ready: true, alive: nil, registered: await isRegistered(id, port: port, service: service, registry: registry))
        }
        async let ready = get(port: port, path: service.health.readinessPath, timeout: service.health.timeout, client: client)
        async let alive = get(port: port, path: service.health.livenessPath, timeout: service.health.timeout, client: client)
        let readiness = await ready
        let registered = readiness ? await isRegistered(id, port: port, service: service, registry: registry) : false
        return ProbeResult(ready: readiness, alive: await alive, registered: registered)
    }

    /// Returns whether GET `path` returns 2xx or 3xx within `timeout`.
    private static func get(port: Int, path: String, timeout: Duration, client: HTTPClient) async -> Bool {
        do {
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            let (response, _) = try await client.execute(request, timeout: timeout, collectingUpTo: 64 * 1024)
            return (200..<400).contains(response.status.code)
        } catch {
            return false
        }
    }

    /// Returns whether the registry lists the replica as UP at its port.
    private static func isRegistered(_ id: String, port: Int, service: ServiceSpec, registry: Registry) async -> Bool {
        // One key rather than the service's whole list, because every probe round reads it.
        guard service.registers, let instance = try? await registry.instance(of: service.name, id: id) else { return false }
        return instance.port == port && instance.status == .up
    }

    /// Applies a probe round: readiness after one success or
    /// `failureThreshold` failures, and a restart after `failureThreshold`
    /// liveness failures once the startup grace has passed.
    private func record(_ result: ProbeResult, for id: String, pid: pid_t) {
        guard var replica = replicas[id], replica.pid == pid, replica.phase == .running,
              let service = spec?.service(named: replica.service) else { return }
        let threshold = service.health.failureThreshold
        if result.ready {
            replica.ready = true
            replica.everReady = true
            replica.readinessFailures = 0
        } else {
            replica.readinessFailures += 1
            if replica.readinessFailures >= threshold || !replica.everReady {
                replica.ready = false
            }
        }
        replica.registered = result.registered
        if let alive = result.alive {
            replica.livenessFailures = alive ? 0 : replica.livenessFailures + 1
        }
        let inGrace = replica.startedAt.map { ContinuousClock.now - $0 < service.health.startupGrace } ?? true
        if replica.livenessFailures >= threshold, !inGrace, replica.livenessKillAt == nil {
            announce("\(id) failed its liveness probe \(replica.livenessFailures) times in a row; restarting it")
            replica.livenessKillAt = .now + service.terminationGracePeriod
            kill(-pid, SIGTERM)
        }
        replicas[id] = replica
        reconcile()
    }
}
