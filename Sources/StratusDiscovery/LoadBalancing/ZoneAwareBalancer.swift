import Synchronization

/// Wraps another balancer so that callers stay in their own zone while that
/// zone is healthy enough, and spill over to every zone otherwise.
///
/// For each snapshot it counts the instances whose `zone` equals
/// `localZone`. The inner balancer picks from those local instances only
/// when at least `minimumUpCount` of them are UP and the UP ones are at
/// least `minimumUpFraction` of the local instances of any status. Otherwise
/// it picks from the whole snapshot, UP instances of every zone. An empty
/// `localZone` (the caller's zone is unknown) always uses the whole snapshot.
///
/// The choice depends only on the snapshot, so it is made once per version:
/// the inner balancer receives the same derived snapshot for every pick from
/// that version and rebuilds its own state only on a change. Outcome
/// reports go to the inner balancer.
///
/// Thread safety: the derived snapshot is behind a `Mutex`, held only to
/// read or replace it. The inner balancer brings its own guarantees.
public final class ZoneAwareBalancer: LoadBalancer {
    public let localZone: String
    public let minimumUpCount: Int
    public let minimumUpFraction: Double
    public let inner: any LoadBalancer

    private struct Choice {
        /// The version of the snapshot the caller passed.
        var sourceVersion: UInt64
        /// The local-zone snapshot or the caller's own snapshot.
        var snapshot: InstanceSnapshot
    }

    // Read by every pick and replaced after a snapshot change, so it is a Mutex.
    private let choice = Mutex<Choice?>(nil)

    /// Creates a wrapper around `inner`.
    ///
    /// - Parameters:
    ///   - localZone: the caller's zone, compared with `ServiceInstance.zone`.
    ///   - minimumUpCount: the UP local instances needed to stay local, at
    ///     least 1. Default 1.
    ///   - minimumUpFraction: the share of the local instances that must be
    ///     UP to stay local, from 0 to 1. Default 0.5.
    /// - Precondition: both minimums are in the ranges above.
    public init(localZone: String, minimumUpCount: Int = 1, minimumUpFraction: Double = 0.5, inner: any LoadBalancer) {
        precondition(minimumUpCount >= 1, "invalid minimumUpCount \(minimumUpCount): expected 1 or more")
        precondition((0...1).contains(minimumUpFraction), "invalid minimumUpFraction \(minimumUpFraction): expected a number from 0 to 1")
        self.localZone = localZone
        self.minimumUpCount = minimumUpCount
        self.minimumUpFraction = minimumUpFraction
        self.inner = inner
    }

    public func pick(from snapshot: InstanceSnapshot, hashKey: String?) -> LoadBalancerPick? {
        inner.pick(from: effectiveSnapshot(for: snapshot), hashKey: hashKey)
    }

    public func report(_ outcome: PickOutcome, for pick: LoadBalancerPick) {
        inner.report(outcome, for: pick)
    }

    /// Returns whether picks from `snapshot` stay in the local zone.
    public func prefersLocalZone(in snapshot: InstanceSnapshot) -> Bool {
        guard !localZone.isEmpty else { return false }

        var local = 0
        var localUp = 0
        for instance in snapshot.instances where instance.zone == localZone {
            local += 1
            if instance.status == .up {
                localUp += 1
            }
        }
        return localUp >= minimumUpCount && Double(localUp) >= minimumUpFraction * Double(local)
    }

    /// Returns the snapshot the inner balancer picks from, deriving it once
    /// per version of `snapshot`.
    private func effectiveSnapshot(for snapshot: InstanceSnapshot) -> InstanceSnapshot {
        let cached = choice.withLock { choice in
            choice?.sourceVersion == snapshot.version ? choice?.snapshot : nil
        }
        if let cached {
            return cached
        }
        let derived = deriveSnapshot(from: snapshot)
        return choice.withLock { choice in
            // Another thread may have derived it first, and the inner
            // balancer must see one version per source version.
            if let choice, choice.sourceVersion == snapshot.version {
                return choice.snapshot
            }
            choice = Choice(sourceVersion: snapshot.version, snapshot: derived)
            return derived
        }
    }

    private func deriveSnapshot(from snapshot: InstanceSnapshot) -> InstanceSnapshot {
        guard prefersLocalZone(in: snapshot) else { return snapshot }
        let local = snapshot.instances.filter { $0.zone == localZone }
        return InstanceSnapshot(instances: local, revision: snapshot.revision)
    }
}
