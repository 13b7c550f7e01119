import StratusDiscovery
import StratusResilience
import StratusTelemetry

extension ServiceClient {
    /// A balancer's pick whose breaker admitted the attempt.
    struct Selection {
        let pick: LoadBalancerPick
        let breaker: CircuitBreaker
    }

    /// Picks an UP instance whose breaker admits the attempt, preferring one
    /// that has not failed in this call.
    ///
    /// A pick whose breaker rejects it is reported to the balancer as
    /// cancelled, and the next pick excludes that instance, so the loop ends
    /// after at most one pick per UP instance.
    func select(from snapshot: InstanceSnapshot, hashKey: String?, state: CallState) throws(ServiceClientError) -> Selection {
        guard !snapshot.upInstances.isEmpty else {
            throw noInstances(snapshot, state: state)
        }
        var rejected: Set<String> = []
        while let candidates = Self.candidates(in: snapshot, failed: state.failedInstanceIDs, rejected: rejected),
              let pick = balancer.pick(from: candidates, hashKey: hashKey) {
            let breaker = breakers.breaker(for: pick.instance)
            if breaker.admit().isAdmitted {
                return Selection(pick: pick, breaker: breaker)
            }
            balancer.report(.cancelled, for: pick)
            metrics.breakerRejections.increment()
            rejected.insert(pick.instance.id)
        }
        throw circuitOpen(snapshot, rejected: rejected, state: state)
    }

    /// Returns the snapshot to pick from: without the instances whose breaker
    /// rejected this attempt, and without those that failed in this call
    /// unless no other is left. Nil when no UP instance is left.
    static func candidates(in snapshot: InstanceSnapshot, failed: Set<String>, rejected: Set<String>) -> InstanceSnapshot? {
        if failed.isEmpty && rejected.isEmpty {
            return snapshot
        }
        let preferred = snapshot.excluding(ids: failed.union(rejected))
        if !preferred.upInstances.isEmpty {
            return preferred
        }
        let fallback = rejected.isEmpty ? snapshot : snapshot.excluding(ids: rejected)
        return fallback.upInstances.isEmpty ? nil : fallback
    }

    private func noInstances(_ snapshot: InstanceSnapshot, state: CallState) -> ServiceClientError {
        let hint = source.isDiscovery
            ? "discovery lists \(snapshot.instances.count) instance(s) of \(service) and none is UP; check that the service is registered with the control plane and reports UP"
            : "the client of \(service) has no endpoints; list them in its static endpoints"
        let last = state.lastFailure.map { "; last error: \($0)" } ?? ""
        return ServiceClientError(.noInstances, service: service, "no instance available for \(state.callName(service)): \(hint)\(last)", attempts: state.attempts)
    }

    private func circuitOpen(_ snapshot: InstanceSnapshot, rejected: Set<String>, state: CallState) -> ServiceClientError {
        let reasons = rejected.sorted().compactMap { id in
            breakers.existingBreaker(for: id)?.recentFailures.last.map { "\(id): \($0)" }
        }
        return ServiceClientError(
            .circuitOpen, service: service,
            "the circuit breakers of all \(snapshot.upInstances.count) UP instance(s) of \(service) are open, so \(state.callName(service)) was not sent; a breaker lets a probe through after \(configuration.circuitBreaker.openDuration). Latest failures: \(reasons.joined(separator: "; "))",
            attempts: state.attempts
        )
    }
}
