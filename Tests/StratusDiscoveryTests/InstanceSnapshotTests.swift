import Testing
import StratusDiscovery

extension LoadBalancingTests {
    @Suite struct InstanceSnapshotTests {
        @Test func keepsOnlyUpInstancesAsCandidates() {
            let snapshot = InstanceSnapshot(instances: [
                Fixtures.instance("a"),
                Fixtures.instance("b", status: .draining),
                Fixtures.instance("c", status: .down),
                Fixtures.instance("d"),
            ], revision: 42)

            #expect(snapshot.instances.count == 4)
            #expect(snapshot.upInstances.map(\.id) == ["a", "d"])
            #expect(snapshot.revision == 42)
        }

        @Test func versionsAreUnique() {
            let instances = [Fixtures.instance("a")]
            let first = InstanceSnapshot(instances: instances, revision: 7)
            let second = InstanceSnapshot(instances: instances, revision: 7)
            let copy = first

            #expect(first.version != second.version)
            #expect(copy.version == first.version)
        }

        @Test func excludingKeepsRevisionAndChangesVersion() {
            let snapshot = InstanceSnapshot(instances: [Fixtures.instance("a"), Fixtures.instance("b")], revision: 9)

            let filtered = snapshot.excluding(ids: ["a"])

            #expect(filtered.instances.map(\.id) == ["b"])
            #expect(filtered.revision == 9)
            #expect(filtered.version != snapshot.version)
        }

        @Test func policyNamesRoundTrip() throws {
            for policy in LoadBalancingPolicy.allCases {
                #expect(LoadBalancingPolicy(rawValue: policy.rawValue) == policy)
                #expect(policy.makeBalancer().pick(from: Fixtures.snapshot(count: 2), hashKey: "k") != nil)
            }
        }
    }
}
