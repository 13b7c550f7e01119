import StratusStore
import StratusTestSupport
import Testing
@testable import StratusStore

/// Failover in a three-member cluster: the member that the client uses is
/// killed, and the client carries on through the other two.
@Suite struct EtcdFailoverTests {
    enum KilledMember: String, CaseIterable, CustomTestStringConvertible {
        /// The cluster goes on with the same leader.
        case follower
        /// The other two members elect a new leader first.
        case leader

        var testDescription: String { rawValue }
    }

    @Test(arguments: KilledMember.allCases)
    func carriesOnAfterMemberKill(killed: KilledMember) async throws {
        let cluster = try await EtcdCluster.start()
        do {
            try await carryOn(in: cluster, killing: killed)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    private func carryOn(in cluster: EtcdCluster, killing killed: KilledMember) async throws {
        let leader = try await cluster.leaderIndex()
        let target = killed == .leader ? leader : (leader + 1) % cluster.members.count
        // The client uses the first endpoint until it fails.
        let others = cluster.members.indices.filter { $0 != target }
        let store = try EtcdStore(endpoints: ([target] + others).map { cluster.members[$0].clientURL })
        defer { Task { await store.close() } }

        let prefix = "failover/"
        let lease = try await store.grantLease(ttl: 30)
        var revisions: [Int64] = []
        for index in 0..<5 {
            revisions.append(try await store.put("\(prefix)\(index)", "\(index)"))
        }
        let watch = store.watch(prefix: prefix, from: revisions[0])
        let before = try await nextEvents(5, from: watch)
        #expect(before.map(\.revision) == revisions)
        #expect(store.gateway.preferredIndex == 0)

        await cluster.kill(member: target)

        // The read comes first. Reads go round the members until one
        // responds, which carries them through an election, while a write
        // sent during an election fails with `timedOut` because it may
        // have applied.
        #expect(try await store.get("\(prefix)0")?.valueString == "0", "a read after the kill")
        for index in 5..<10 {
            revisions.append(try await store.put("\(prefix)\(index)", "\(index)"))
        }
        #expect(try await store.keepAlive(lease.id) == 30, "a keep-alive after the kill")
        #expect(try await store.leaseStatus(lease.id, includeKeys: false).grantedTTL == 30)
        #expect(store.gateway.preferredIndex != 0, "the client moved off the killed member")

        let after = try await nextEvents(5, from: watch)
        #expect(after.map(\.revision) == Array(revisions[5...]), "the watch resumed without gaps or repeats")
        #expect(after.map(\.keyValue.valueString) == (5..<10).map { "\($0)" })
    }
}
