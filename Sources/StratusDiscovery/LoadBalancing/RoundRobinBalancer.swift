import Synchronization

/// Picks the UP instances in turn, ignoring weights, hash keys and outcomes.
///
/// One position counter is shared by every snapshot: after a change the
/// sequence continues from the counter's position in the new list. With a
/// fixed snapshot and N UP instances, every N consecutive picks visit each
/// instance once, also under concurrent calls.
///
/// Thread safety: the position is an `Atomic`, so `pick` takes no lock.
public final class RoundRobinBalancer: LoadBalancer {
    // Advanced by every pick on any thread, so it is an atomic.
    private let position: Atomic<UInt64>

    /// Creates a balancer whose first pick is `upInstances[initialPosition % count]`.
    ///
    /// The default starts at a random position, so that clients started
    /// together do not all send their first requests to the same instance.
    public init(initialPosition: UInt64 = .random(in: 0...UInt64.max)) {
        position = Atomic(initialPosition)
    }

    public func pick(from snapshot: InstanceSnapshot, hashKey: String?) -> LoadBalancerPick? {
        let candidates = snapshot.upInstances
        guard !candidates.isEmpty else { return nil }

        let ticket = position.wrappingAdd(1, ordering: .relaxed).oldValue
        let slot = Int(ticket % UInt64(candidates.count))
        return LoadBalancerPick(instance: candidates[slot], snapshotVersion: snapshot.version, slot: slot)
    }
}
