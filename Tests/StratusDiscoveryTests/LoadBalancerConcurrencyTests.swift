import Testing
import StratusDiscovery

extension LoadBalancingTests {
    @Suite struct LoadBalancerConcurrencyTests {
        private static let tasks = 8
        private static let picksPerTask = 10_000

        /// Runs `tasks` tasks that each pick `picksPerTask` times, and sums the
        /// picks per instance id.
        private func pickConcurrently(
            _ balancer: some LoadBalancer,
            snapshots: [InstanceSnapshot],
            hashKey: @escaping @Sendable (Int) -> String? = { _ in nil }
        ) async -> [String: Int] {
            await withTaskGroup(of: [String: Int].self) { group in
                for task in 0..<Self.tasks {
                    group.addTask {
                        var counts: [String: Int] = [:]
                        for index in 0..<Self.picksPerTask {
                            let snapshot = snapshots[(task + index) % snapshots.count]
                            guard let pick = balancer.pick(from: snapshot, hashKey: hashKey(index)) else { continue }
                            counts[pick.instance.id, default: 0] += 1
                            balancer.report(.success(latency: .microseconds(index % 100)), for: pick)
                        }
                        return counts
                    }
                }
                var total: [String: Int] = [:]
                for await counts in group {
                    total.merge(counts, uniquingKeysWith: +)
                }
                return total
            }
        }

        @Test func roundRobinCountsStayExact() async {
            let balancer = RoundRobinBalancer()

            let counts = await pickConcurrently(balancer, snapshots: [Fixtures.snapshot(count: 4)])

            #expect(counts == ["i0": 20_000, "i1": 20_000, "i2": 20_000, "i3": 20_000])
        }

        @Test func smoothWeightedCountsStayExact() async {
            let balancer = SmoothWeightedRoundRobinBalancer()

            let counts = await pickConcurrently(balancer, snapshots: [Fixtures.weightedSnapshot([1, 2, 3, 4])])

            #expect(counts == ["a": 8_000, "b": 16_000, "c": 24_000, "d": 32_000])
        }

        @Test func weightedRandomCountsAddUp() async {
            let balancer = WeightedRandomBalancer(generator: SplitMix64(seed: 5))

            let counts = await pickConcurrently(balancer, snapshots: [Fixtures.weightedSnapshot([1, 3])])

            #expect(counts.values.reduce(0, +) == 80_000)
            #expect(abs(Double(counts["b", default: 0]) / 80_000 - 0.75) <= 0.01)
        }

        @Test func powerOfTwoChoicesReleasesEveryRequest() async {
            let balancer = PowerOfTwoChoicesBalancer(generator: SplitMix64(seed: 5), clock: ManualClock())
            let snapshot = Fixtures.snapshot(count: 5)

            let counts = await pickConcurrently(balancer, snapshots: [snapshot])

            #expect(counts.values.reduce(0, +) == 80_000)
            for instance in snapshot.instances {
                #expect(balancer.loadEstimate(for: instance.id)?.outstanding == 0, "instance \(instance.id)")
            }
        }

        @Test func maglevKeysStableUnderSnapshotChanges() async {
            let balancer = MaglevBalancer()
            let small = Fixtures.snapshot(count: 3)
            let large = Fixtures.snapshot(count: 6)
            let keys = ["alpha", "beta", "gamma", ""]
            let expectedSmall = Fixtures.assignments(MaglevBalancer(), from: small, keys: keys)
            let expectedLarge = Fixtures.assignments(MaglevBalancer(), from: large, keys: keys)

            // Tasks alternate between two snapshots, so the table is rebuilt
            // while other tasks pick. Every pick must match its own snapshot.
            let mismatches = await withTaskGroup(of: Int.self) { group in
                for task in 0..<Self.tasks {
                    group.addTask {
                        var mismatches = 0
                        for index in 0..<2_000 {
                            let useLarge = (task + index / 100) % 2 == 0
                            let keyIndex = index % keys.count
                            let id = balancer.pick(from: useLarge ? large : small, hashKey: keys[keyIndex])?.instance.id
                            let expected = useLarge ? expectedLarge[keyIndex] : expectedSmall[keyIndex]
                            if id != expected {
                                mismatches += 1
                            }
                        }
                        return mismatches
                    }
                }
                return await group.reduce(0, +)
            }

            #expect(mismatches == 0)
        }

        @Test func zoneAwarePicksFromAlternatingSnapshots() async {
            let balancer = ZoneAwareBalancer(localZone: "zone-a", inner: PowerOfTwoChoicesBalancer(generator: SplitMix64(seed: 9), clock: ManualClock()))
            let healthy = InstanceSnapshot(instances: [
                Fixtures.instance("a1", zone: "zone-a"), Fixtures.instance("b1", zone: "zone-b"),
            ])
            let localDown = InstanceSnapshot(instances: [
                Fixtures.instance("a1", zone: "zone-a", status: .down), Fixtures.instance("b1", zone: "zone-b"),
            ])

            let counts = await pickConcurrently(balancer, snapshots: [healthy, localDown])

            #expect(counts == ["a1": 40_000, "b1": 40_000])
        }
    }
}
