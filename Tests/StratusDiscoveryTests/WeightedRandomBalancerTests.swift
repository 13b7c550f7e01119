import Testing
import StratusDiscovery

extension LoadBalancingTests {
    @Suite struct WeightedRandomBalancerTests {
        @Test func honoursWeightsOverManyPicks() {
            let balancer = WeightedRandomBalancer(generator: SplitMix64(seed: 42))
            let snapshot = Fixtures.weightedSnapshot([1, 2, 3, 4])
            let picks = 100_000

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: picks)

            // The standard deviation of each share is below 0.16 percentage
            // points, so a 1-point bound leaves about six deviations of room.
            for (id, expectedShare) in [("a", 0.1), ("b", 0.2), ("c", 0.3), ("d", 0.4)] {
                let share = Double(counts[id, default: 0]) / Double(picks)
                #expect(abs(share - expectedShare) <= 0.01, "instance \(id) got share \(share), expected \(expectedShare)")
            }
        }

        @Test func sameSeedGivesSameSequence() {
            let snapshot = Fixtures.weightedSnapshot([1, 2, 3, 4])
            let first = WeightedRandomBalancer(generator: SplitMix64(seed: 7))
            let second = WeightedRandomBalancer(generator: SplitMix64(seed: 7))

            let firstIDs = (0..<100).map { _ in first.pick(from: snapshot)?.instance.id }
            let secondIDs = (0..<100).map { _ in second.pick(from: snapshot)?.instance.id }

            #expect(firstIDs == secondIDs)
        }

        @Test func skipsInstancesThatAreNotUp() {
            let balancer = WeightedRandomBalancer(generator: SplitMix64(seed: 1))
            let snapshot = InstanceSnapshot(instances: [
                Fixtures.instance("up"),
                Fixtures.instance("draining", weight: 10_000, status: .draining),
                Fixtures.instance("down", weight: 10_000, status: .down),
            ])

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 1_000)

            #expect(counts == ["up": 1_000])
        }

        @Test func returnsNilWithoutUpInstances() {
            let balancer = WeightedRandomBalancer(generator: SplitMix64(seed: 1))
            let allDown = InstanceSnapshot(instances: [Fixtures.instance("a", status: .down)])

            #expect(balancer.pick(from: .empty) == nil)
            #expect(balancer.pick(from: allDown) == nil)
        }

        @Test func systemGeneratorPicksOnlyCandidates() {
            let balancer = WeightedRandomBalancer()
            let snapshot = Fixtures.weightedSnapshot([1, 1])

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 100)

            #expect(Set(counts.keys).isSubset(of: ["a", "b"]))
            #expect(counts.values.reduce(0, +) == 100)
        }
    }
}
