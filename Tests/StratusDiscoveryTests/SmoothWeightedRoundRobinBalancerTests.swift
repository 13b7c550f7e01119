import Testing
import StratusDiscovery

extension LoadBalancingTests {
    @Suite struct SmoothWeightedRoundRobinBalancerTests {
        @Test func interleavesLikeNginx() {
            let balancer = SmoothWeightedRoundRobinBalancer()
            let snapshot = Fixtures.weightedSnapshot([5, 1, 1])

            let ids = (0..<7).compactMap { _ in balancer.pick(from: snapshot)?.instance.id }

            #expect(ids == ["a", "a", "b", "a", "c", "a", "a"])
        }

        @Test func honoursWeightsExactlyPerCycle() {
            let balancer = SmoothWeightedRoundRobinBalancer()
            let snapshot = Fixtures.weightedSnapshot([1, 2, 3, 4])

            let firstCycle = Fixtures.countPicks(balancer, from: snapshot, picks: 10)

            #expect(firstCycle == ["a": 1, "b": 2, "c": 3, "d": 4])
        }

        @Test func honoursWeightsOverManyPicks() {
            let balancer = SmoothWeightedRoundRobinBalancer()
            let snapshot = Fixtures.weightedSnapshot([1, 2, 3, 4])
            let picks = 100_000

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: picks)

            for (id, expectedShare) in [("a", 0.1), ("b", 0.2), ("c", 0.3), ("d", 0.4)] {
                let share = Double(counts[id, default: 0]) / Double(picks)
                #expect(abs(share - expectedShare) <= 0.01, "instance \(id) got share \(share), expected \(expectedShare)")
            }
            #expect(counts == ["a": 10_000, "b": 20_000, "c": 30_000, "d": 40_000])
        }

        @Test func skipsInstancesThatAreNotUp() {
            let balancer = SmoothWeightedRoundRobinBalancer()
            let snapshot = InstanceSnapshot(instances: [
                Fixtures.instance("a", weight: 1),
                Fixtures.instance("b", weight: 50, status: .draining),
                Fixtures.instance("c", weight: 3),
                Fixtures.instance("d", weight: 50, status: .down),
            ])

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 400)

            #expect(counts == ["a": 100, "c": 300])
        }

        @Test func returnsNilWithoutUpInstances() {
            let balancer = SmoothWeightedRoundRobinBalancer()
            let allDown = InstanceSnapshot(instances: [Fixtures.instance("a", status: .down)])

            #expect(balancer.pick(from: .empty) == nil)
            #expect(balancer.pick(from: allDown) == nil)
        }

        @Test func restartsScheduleOnSnapshotChange() {
            let balancer = SmoothWeightedRoundRobinBalancer()
            _ = Fixtures.countPicks(balancer, from: Fixtures.weightedSnapshot([5, 1, 1]), picks: 3)
            let changed = Fixtures.weightedSnapshot([5, 1, 1])

            let ids = (0..<7).compactMap { _ in balancer.pick(from: changed)?.instance.id }

            #expect(ids == ["a", "a", "b", "a", "c", "a", "a"])
        }

        @Test func clampsUnvalidatedWeights() {
            let balancer = SmoothWeightedRoundRobinBalancer()
            // Validation rejects these weights, but a snapshot does not validate.
            let snapshot = Fixtures.weightedSnapshot([0, -5, 20_000])

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 10_002)

            #expect(counts == ["a": 1, "b": 1, "c": 10_000])
        }
    }
}
