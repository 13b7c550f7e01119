/// The instance a balancer picked, and what the balancer needs to match the
/// outcome report to its own state.
///
/// Pass it back unchanged to `LoadBalancer.report(_:for:)`.
public struct LoadBalancerPick: Sendable {
    /// The picked instance, always one with status UP in the snapshot.
    public let instance: ServiceInstance
    /// The `version` of the snapshot the instance was picked from. Behind
    /// `ZoneAwareBalancer` it is the version of the zone's derived snapshot.
    public let snapshotVersion: UInt64
    /// The instance's position among the snapshot's `upInstances`, which
    /// lets a balancer find its statistics without a lookup by id.
    let slot: Int

    init(instance: ServiceInstance, snapshotVersion: UInt64, slot: Int) {
        self.instance = instance
        self.snapshotVersion = snapshotVersion
        self.slot = slot
    }
}
