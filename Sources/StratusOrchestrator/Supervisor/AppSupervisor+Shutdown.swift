import Glibc
import StratusAppSpec
import StratusControlPlane
import StratusHTTP
import StratusStore

extension AppSupervisor {
    /// Stops every replica, dependents before their dependencies: SIGTERM to
    /// each replica's process group, SIGKILL after the service's termination
    /// grace period. Returns when every process has exited, then removes the
    /// app's status from the store.
    public func shutdown() async {
        stopping = true
        for task in tasks { task.cancel() }
        tasks = []
        let services = (spec ?? lastSpec)?.services ?? []
        for name in DependencyGraph(services: services).startOrder().reversed() {
            await stop(replicas.keys.filter { replicas[$0]?.service == name })
        }
        await stop(Array(replicas.keys))
        if let lease = statusLease {
            try? await store.revokeLease(lease)
        }
        probeClient.shutdown()
    }

    /// Sends SIGTERM to the replicas and waits until they are gone.
    private func stop(_ ids: [String]) async {
        let now = ContinuousClock.now
        for id in ids {
            guard let replica = replicas[id] else { continue }
            if case .terminating = replica.phase { continue }
            terminate(id, now: now)
        }
        while ids.contains(where: { replicas[$0] != nil }) {
            let now = ContinuousClock.now
            for id in ids {
                guard let replica = replicas[id], case .terminating(let killAt) = replica.phase, killAt <= now, !replica.killed, let pid = replica.pid else { continue }
                kill(-pid, SIGKILL)
                replicas[id]?.killed = true
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
