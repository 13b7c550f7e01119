import Foundation
import StratusHTTP
import StratusTestSupport
import Testing

/// A three-member etcd cluster on loopback ports, for failover tests.
final class EtcdCluster: Sendable {
    let members: [EtcdPeer]

    var clientURLs: [String] { members.map(\.clientURL) }

    private init(members: [EtcdPeer]) {
        self.members = members
    }

    /// Starts the members and waits until each reports a leader.
    static func start(size: Int = 3) async throws -> EtcdCluster {
        let ports = try LoopbackPorts.reserve(2 * size)
        let names = (0..<size).map { "member\($0)" }
        let initialCluster = names.indices
            .map { "\(names[$0])=http://127.0.0.1:\(ports[2 * $0 + 1])" }
            .joined(separator: ",")
        let token = "stratus-\(UUID().uuidString)"
        var members: [EtcdPeer] = []
        do {
            for index in names.indices {
                members.append(try EtcdPeer(
                    name: names[index],
                    clientPort: ports[2 * index],
                    peerPort: ports[2 * index + 1],
                    initialCluster: initialCluster,
                    clusterToken: token
                ))
            }
            for member in members {
                try await member.waitUntilHealthy()
            }
        } catch {
            for member in members {
                await member.stop()
            }
            throw error
        }
        return EtcdCluster(members: members)
    }

    /// Returns the index of the member that the members report as leader,
    /// from `/v3/maintenance/status`, which names the leader's member ID.
    func leaderIndex() async throws -> Int {
        let client = HTTPClient()
        defer { client.shutdown() }
        var leader: String?
        var memberIDs: [String] = []
        for member in members {
            let request = HTTPClientRequest(method: .post, url: member.clientURL + "/v3/maintenance/status", body: OutgoingBody(string: "{}"))
            let (_, body) = try await client.execute(request, collectingUpTo: 64 * 1024)
            let status = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
            let header = try #require(status["header"] as? [String: Any])
            memberIDs.append(try #require(header["member_id"] as? String))
            leader = leader ?? status["leader"] as? String
        }
        let leaderID = try #require(leader, "no member reported a leader")
        return try #require(memberIDs.firstIndex(of: leaderID), "leader \(leaderID) is not among \(memberIDs)")
    }

    /// Kills one member with SIGKILL, as a crash would.
    func kill(member index: Int) async {
        await members[index].kill()
    }

    /// Stops every member and removes their data directories.
    func stop() async {
        for member in members {
            await member.stop()
        }
    }
}
