import Synchronization

/// An immutable list of a service's instances, as discovery returned them at
/// one revision, that load balancers pick from.
///
/// Build one snapshot per discovery change and share it among every caller
/// and balancer. Each snapshot gets a process-wide unique `version` when it
/// is created, and balancers rebuild their precomputed state (a weighted
/// schedule, a Maglev table) only when the version they receive changes. A
/// snapshot built per request therefore costs a rebuild per pick.
public struct InstanceSnapshot: Sendable {
    /// Every instance, in the order given, whatever its status.
    public let instances: [ServiceInstance]
    /// The instances with status UP, in the order of `instances`: the only
    /// candidates a balancer picks from.
    public let upInstances: [ServiceInstance]
    /// The discovery revision this snapshot reflects, as the store reported
    /// it; 0 when unknown. Balancers do not compare it.
    public let revision: Int64
    /// A number unique among the snapshots created in this process, and the
    /// key balancers compare to detect a change. Copies of a snapshot share it.
    public let version: UInt64

    /// Creates a snapshot with a new unique `version`.
    public init(instances: [ServiceInstance], revision: Int64 = 0) {
        self.instances = instances
        self.upInstances = instances.filter { $0.status == .up }
        self.revision = revision
        self.version = SnapshotVersions.next()
    }

    /// An empty snapshot, from which every pick returns nil.
    public static var empty: InstanceSnapshot { InstanceSnapshot(instances: []) }

    /// Returns a snapshot without the instances whose ids are in `ids`, with
    /// the same revision and a new version. Callers use it to eject outliers.
    public func excluding(ids: Set<String>) -> InstanceSnapshot {
        InstanceSnapshot(instances: instances.filter { !ids.contains($0.id) }, revision: revision)
    }
}

/// The source of `InstanceSnapshot.version`.
enum SnapshotVersions {
    // Shared by every thread that creates a snapshot, so it is an atomic.
    private static let counter = Atomic<UInt64>(0)

    static func next() -> UInt64 {
        counter.wrappingAdd(1, ordering: .relaxed).newValue
    }
}

extension ServiceInstance {
    /// The weight clamped to 1...10,000. Validation rejects other weights,
    /// but a snapshot may hold instances that were never validated, and a
    /// weight of 0 or less would break the weighted balancers.
    var balancingWeight: Int {
        min(max(weight, 1), 10_000)
    }
}
