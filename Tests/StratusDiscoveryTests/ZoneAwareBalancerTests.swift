import Testing
import StratusDiscovery

extension LoadBalancingTests {
    @Suite struct ZoneAwareBalancerTests {
        private func zonedSnapshot(localUp: Int, localDown: Int = 0, remoteUp: Int = 2) -> InstanceSnapshot {
            let local = (0..<localUp).map { Fixtures.instance("local-up-\($0)", zone: "zone-a") }
                + (0..<localDown).map { Fixtures.instance("local-down-\($0)", zone: "zone-a", status: .down) }
            let remote = (0..<remoteUp).map { Fixtures.instance("remote-\($0)", zone: "zone-b") }
            return InstanceSnapshot(instances: remote + local)
        }

        private func zonesPicked(_ balancer: ZoneAwareBalancer, from snapshot: InstanceSnapshot) -> Set<String> {
            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 100)
            let zones = snapshot.instances.filter { counts[$0.id] != nil }.map(\.zone)
            return Set(zones)
        }

        @Test func staysInLocalZone() {
            let balancer = ZoneAwareBalancer(localZone: "zone-a", inner: RoundRobinBalancer())

            #expect(zonesPicked(balancer, from: zonedSnapshot(localUp: 2)) == ["zone-a"])
        }

        @Test func fallsBackWhenLocalZoneIsDown() {
            let balancer = ZoneAwareBalancer(localZone: "zone-a", inner: RoundRobinBalancer())
            let snapshot = zonedSnapshot(localUp: 0, localDown: 3)

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 100)

            #expect(counts == ["remote-0": 50, "remote-1": 50])
        }

        @Test func fallsBackBelowMinimumFraction() {
            let balancer = ZoneAwareBalancer(localZone: "zone-a", minimumUpFraction: 0.5, inner: RoundRobinBalancer())

            // One of three local instances UP is below half, two of three is not.
            #expect(zonesPicked(balancer, from: zonedSnapshot(localUp: 1, localDown: 2)) == ["zone-a", "zone-b"])
            #expect(zonesPicked(balancer, from: zonedSnapshot(localUp: 2, localDown: 1)) == ["zone-a"])
        }

        @Test func fallsBackBelowMinimumCount() {
            let balancer = ZoneAwareBalancer(localZone: "zone-a", minimumUpCount: 3, inner: RoundRobinBalancer())

            #expect(zonesPicked(balancer, from: zonedSnapshot(localUp: 2)) == ["zone-a", "zone-b"])
            #expect(zonesPicked(balancer, from: zonedSnapshot(localUp: 3)) == ["zone-a"])
        }

        @Test func unknownLocalZoneUsesAllZones() {
            let balancer = ZoneAwareBalancer(localZone: "", inner: RoundRobinBalancer())
            let snapshot = InstanceSnapshot(instances: [Fixtures.instance("no-zone"), Fixtures.instance("zoned", zone: "zone-b")])

            #expect(balancer.prefersLocalZone(in: snapshot) == false)
            #expect(Fixtures.countPicks(balancer, from: snapshot, picks: 10) == ["no-zone": 5, "zoned": 5])
        }

        @Test func returnsNilWithoutUpInstances() {
            let balancer = ZoneAwareBalancer(localZone: "zone-a", inner: RoundRobinBalancer())
            let allDown = zonedSnapshot(localUp: 0, localDown: 2, remoteUp: 0)

            #expect(balancer.pick(from: .empty) == nil)
            #expect(balancer.pick(from: allDown) == nil)
        }

        @Test func derivesOneSnapshotPerVersion() throws {
            let balancer = ZoneAwareBalancer(localZone: "zone-a", inner: RoundRobinBalancer())
            let snapshot = zonedSnapshot(localUp: 2)

            let first = try #require(balancer.pick(from: snapshot))
            let second = try #require(balancer.pick(from: snapshot))
            let changed = try #require(balancer.pick(from: zonedSnapshot(localUp: 2)))

            #expect(first.snapshotVersion == second.snapshotVersion)
            #expect(first.snapshotVersion != snapshot.version)
            #expect(changed.snapshotVersion != first.snapshotVersion)
        }

        @Test func forwardsReportsToInner() throws {
            let inner = PowerOfTwoChoicesBalancer(generator: SplitMix64(seed: 3), clock: ManualClock())
            let balancer = ZoneAwareBalancer(localZone: "zone-a", inner: inner)
            let snapshot = zonedSnapshot(localUp: 1)

            let pick = try #require(balancer.pick(from: snapshot))
            #expect(pick.instance.id == "local-up-0")
            #expect(inner.loadEstimate(for: "local-up-0")?.outstanding == 1)
            balancer.report(.success(latency: .milliseconds(4)), for: pick)

            #expect(inner.loadEstimate(for: "local-up-0")?.outstanding == 0)
            #expect(inner.loadEstimate(for: "local-up-0")?.latency != nil)
        }

        @Test func keepsStickyKeysInLocalZone() {
            let balancer = ZoneAwareBalancer(localZone: "zone-a", inner: MaglevBalancer())
            let snapshot = zonedSnapshot(localUp: 3)

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 3_000, hashKey: { "session-\($0)" })

            #expect(Set(counts.keys) == ["local-up-0", "local-up-1", "local-up-2"])
        }
    }
}
