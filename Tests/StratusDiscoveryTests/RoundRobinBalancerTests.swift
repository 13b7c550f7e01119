import Testing
import StratusDiscovery

extension LoadBalancingTests {
    @Suite struct RoundRobinBalancerTests {
        @Test func visitsInstancesInOrder() {
            let balancer = RoundRobinBalancer(initialPosition: 0)
            let snapshot = Fixtures.snapshot(count: 3)

            let ids = (0..<6).map { _ in balancer.pick(from: snapshot)?.instance.id }

            #expect(ids == ["i0", "i1", "i2", "i0", "i1", "i2"])
        }

        @Test func spreadsPicksEvenly() {
            let balancer = RoundRobinBalancer()
            let snapshot = Fixtures.snapshot(count: 4)

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 40_000)

            #expect(counts == ["i0": 10_000, "i1": 10_000, "i2": 10_000, "i3": 10_000])
        }

        @Test func skipsDrainingAndDownInstances() {
            let balancer = RoundRobinBalancer(initialPosition: 0)
            let snapshot = InstanceSnapshot(instances: [
                Fixtures.instance("up-1"),
                Fixtures.instance("draining", status: .draining),
                Fixtures.instance("down", status: .down),
                Fixtures.instance("up-2"),
            ])

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 1_000)

            #expect(counts == ["up-1": 500, "up-2": 500])
        }

        @Test func returnsNilWithoutUpInstances() {
            let balancer = RoundRobinBalancer()
            let allDown = InstanceSnapshot(instances: [
                Fixtures.instance("a", status: .down),
                Fixtures.instance("b", status: .draining),
            ])

            #expect(balancer.pick(from: .empty) == nil)
            #expect(balancer.pick(from: allDown) == nil)
        }

        @Test func picksFromNewSnapshotAfterChange() {
            let balancer = RoundRobinBalancer(initialPosition: 0)
            _ = Fixtures.countPicks(balancer, from: Fixtures.snapshot(count: 3, prefix: "old"), picks: 5)

            let counts = Fixtures.countPicks(balancer, from: Fixtures.snapshot(count: 2, prefix: "new"), picks: 100)

            #expect(counts == ["new0": 50, "new1": 50])
        }

        @Test func pickRecordsSnapshotVersion() throws {
            let balancer = RoundRobinBalancer()
            let snapshot = Fixtures.snapshot(count: 2)

            let pick = try #require(balancer.pick(from: snapshot))

            #expect(pick.snapshotVersion == snapshot.version)
        }
    }
}
