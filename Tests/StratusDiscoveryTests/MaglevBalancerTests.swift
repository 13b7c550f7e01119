import Testing
import StratusDiscovery

extension LoadBalancingTests {
    @Suite struct MaglevBalancerTests {
        private let keys = (0..<100_000).map { "user-\($0)" }

        @Test func sameKeyMapsToSameInstance() throws {
            let snapshot = Fixtures.snapshot(count: 7)
            let balancer = MaglevBalancer()

            for key in ["alice", "bob", "", "user-123"] {
                let first = try #require(balancer.pick(from: snapshot, hashKey: key)).instance.id
                for _ in 0..<10 {
                    #expect(balancer.pick(from: snapshot, hashKey: key)?.instance.id == first, "key \"\(key)\"")
                }
            }
        }

        @Test func clientsAgreeWhateverTheInstanceOrder() {
            let snapshot = Fixtures.snapshot(count: 7)
            let reordered = InstanceSnapshot(instances: snapshot.instances.reversed())
            let sample = Array(keys.prefix(5_000))

            let first = Fixtures.assignments(MaglevBalancer(), from: snapshot, keys: sample)
            let second = Fixtures.assignments(MaglevBalancer(), from: reordered, keys: sample)

            let disagreements = zip(first, second).filter { $0 != $1 }.count
            #expect(disagreements == 0)
        }

        @Test(arguments: [5, 10])
        func departureMovesAboutOneNthOfKeys(count: Int) {
            let before = Fixtures.snapshot(count: count, prefix: "backend-")
            let departed = "backend-2"
            let after = InstanceSnapshot(instances: before.instances.filter { $0.id != departed })
            let balancer = MaglevBalancer()

            let oldAssignments = Fixtures.assignments(balancer, from: before, keys: keys)
            let newAssignments = Fixtures.assignments(balancer, from: after, keys: keys)

            let moved = zip(oldAssignments, newAssignments).filter { $0 != $1 }.count
            let movedShare = Double(moved) / Double(keys.count)
            let ideal = 1 / Double(count)
            #expect(movedShare >= 0.5 * ideal, "moved \(movedShare) of keys, ideal \(ideal)")
            #expect(movedShare <= 1.5 * ideal, "moved \(movedShare) of keys, ideal \(ideal)")

            let survivors = zip(oldAssignments, newAssignments).filter { $0.0 != departed }
            let survivorsMoved = survivors.filter { $0.0 != $0.1 }.count
            let survivorsMovedShare = Double(survivorsMoved) / Double(survivors.count)
            // Maglev keeps most keys of the remaining instances in place: with
            // these keys, 0.1% to 0.3% of them moved.
            #expect(survivorsMovedShare <= 0.01, "\(survivorsMovedShare) of the keys of remaining instances moved")
            #expect(newAssignments.allSatisfy { $0 != departed })
        }

        @Test(arguments: [5, 10])
        func arrivalMovesAboutOneNthOfKeys(count: Int) {
            let before = Fixtures.snapshot(count: count, prefix: "backend-")
            let after = InstanceSnapshot(instances: before.instances + [Fixtures.instance("backend-new")])
            let balancer = MaglevBalancer()

            let oldAssignments = Fixtures.assignments(balancer, from: before, keys: keys)
            let newAssignments = Fixtures.assignments(balancer, from: after, keys: keys)

            let moved = zip(oldAssignments, newAssignments).filter { $0 != $1 }
            let ideal = 1 / Double(count + 1)
            let movedShare = Double(moved.count) / Double(keys.count)
            #expect(movedShare >= 0.5 * ideal, "moved \(movedShare) of keys, ideal \(ideal)")
            #expect(movedShare <= 1.5 * ideal, "moved \(movedShare) of keys, ideal \(ideal)")
            let movedToNew = moved.filter { $0.1 == "backend-new" }.count
            #expect(Double(movedToNew) / Double(moved.count) >= 0.95, "\(movedToNew) of \(moved.count) moved keys went to the new instance")
        }

        @Test(arguments: [5, 10])
        func spreadsKeysEvenly(count: Int) {
            let snapshot = Fixtures.snapshot(count: count)
            let balancer = MaglevBalancer()

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: keys.count, hashKey: { keys[$0] })

            let mean = Double(keys.count) / Double(count)
            #expect(counts.count == count)
            for (id, picks) in counts {
                #expect(abs(Double(picks) - mean) <= 0.05 * mean, "instance \(id) got \(picks) keys, mean \(mean)")
            }
        }

        @Test func weightsSetTableShares() {
            let snapshot = InstanceSnapshot(instances: [Fixtures.instance("light", weight: 100), Fixtures.instance("heavy", weight: 300)])
            let balancer = MaglevBalancer()

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: keys.count, hashKey: { keys[$0] })

            let heavyShare = Double(counts["heavy", default: 0]) / Double(keys.count)
            #expect(abs(heavyShare - 0.75) <= 0.02, "heavy got \(heavyShare) of the keys")
        }

        @Test func picksWithoutKeyFollowTableShares() {
            let snapshot = Fixtures.snapshot(count: 4)
            let balancer = MaglevBalancer()

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: MaglevBalancer.defaultTableSize)

            for (id, picks) in counts {
                #expect(abs(Double(picks) - 65_537 / 4) <= 0.02 * 65_537 / 4, "instance \(id) got \(picks) picks")
            }
        }

        @Test func skipsInstancesThatAreNotUp() {
            let snapshot = InstanceSnapshot(instances: [
                Fixtures.instance("up-1"),
                Fixtures.instance("draining", status: .draining),
                Fixtures.instance("down", status: .down),
                Fixtures.instance("up-2"),
            ])
            let balancer = MaglevBalancer()

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 10_000, hashKey: { keys[$0] })

            #expect(Set(counts.keys) == ["up-1", "up-2"])
        }

        @Test func returnsNilWithoutUpInstances() {
            let balancer = MaglevBalancer()
            let allDown = InstanceSnapshot(instances: [Fixtures.instance("a", status: .down)])

            #expect(balancer.pick(from: .empty, hashKey: "key") == nil)
            #expect(balancer.pick(from: allDown, hashKey: "") == nil)
        }

        @Test func smallPrimeTableWorks() {
            let snapshot = Fixtures.snapshot(count: 3)
            let balancer = MaglevBalancer(tableSize: 7)

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 700)

            #expect(Set(counts.keys) == ["i0", "i1", "i2"])
        }

        @Test func rejectsTableSizeThatIsNotPrime() async {
            await #expect(processExitsWith: .failure) {
                _ = MaglevBalancer(tableSize: 65_536)
            }
        }
    }
}
