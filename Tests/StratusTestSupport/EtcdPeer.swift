package import Foundation
import Glibc
import StratusHTTP
import StratusNet
import Synchronization

/// An etcd server process on free loopback ports with a temporary data
/// directory, for tests that need a real etcd. etcd keeps its default
/// durability (fsync on every commit).
package final class EtcdPeer: Sendable {
    package let name: String
    /// The URL clients connect to, such as `http://127.0.0.1:40123`.
    package let clientURL: String
    package let peerURL: String
    package let directory: URL
    package let pid: pid_t

    package static let executable = "/usr/bin/etcd"

    /// Starts a one-member cluster and waits until it serves requests.
    /// `extraArguments` go to etcd as they are, such as faster raft timing.
    ///
    /// A port found free can be taken by another test before etcd binds it,
    /// so an etcd that exits with "address already in use" is started again
    /// on new ports, up to three times.
    package static func start(name: String = "stratus-test", extraArguments: [String] = []) async throws -> EtcdPeer {
        var attempt = 1
        while true {
            let ports = try LoopbackPorts.reserve(2)
            let peerURL = "http://127.0.0.1:\(ports[1])"
            let peer = try EtcdPeer(
                name: name,
                clientPort: ports[0],
                peerPort: ports[1],
                initialCluster: "\(name)=\(peerURL)",
                clusterToken: "stratus-\(UUID().uuidString)",
                extraArguments: extraArguments
            )
            do {
                try await peer.waitUntilHealthy()
                return peer
            } catch {
                let portTaken = peer.logTail().contains("address already in use")
                await peer.stop()
                guard portTaken && attempt < 3 else { throw error }
                attempt += 1
            }
        }
    }

    /// Starts one member of a cluster whose members are listed in
    /// `initialCluster` as `name=peerURL,...`, without waiting for it.
    package init(name: String, clientPort: Int, peerPort: Int, initialCluster: String, clusterToken: String, extraArguments: [String] = []) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw EtcdPeerError(description: "etcd is not installed at \(Self.executable); run make bootstrap (Debian package etcd-server)")
        }
        self.name = name
        clientURL = "http://127.0.0.1:\(clientPort)"
        peerURL = "http://127.0.0.1:\(peerPort)"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-etcd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let arguments = [
            Self.executable,
            "--name", name,
            "--data-dir", directory.appendingPathComponent("data").path,
            "--listen-client-urls", clientURL,
            "--advertise-client-urls", clientURL,
            "--listen-peer-urls", peerURL,
            "--initial-advertise-peer-urls", peerURL,
            "--initial-cluster", initialCluster,
            "--initial-cluster-token", clusterToken,
            "--initial-cluster-state", "new",
        ] + extraArguments
        pid = try ChildProcess.spawn(arguments, logPath: directory.appendingPathComponent("etcd.log").path)
        ChildProcess.registerForExit(pid: pid, directory: directory.path)
    }

    /// Polls `/health` until etcd reports a leader, for at most 20 seconds.
    /// etcd has no other readiness signal, and `Task.sleep` keeps the shared
    /// task threads free between polls.
    package func waitUntilHealthy() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        for _ in 0..<400 {
            if await isHealthy(client) { return }
            guard ChildProcess.isRunning(pid) else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw EtcdPeerError(description: "etcd \(name) did not become healthy at \(clientURL): \(logTail())")
    }

    private func isHealthy(_ client: HTTPClient) async -> Bool {
        let request = HTTPClientRequest(method: .get, url: clientURL + "/health")
        guard let (response, body) = try? await client.execute(request, timeout: .seconds(2), collectingUpTo: 4096) else {
            return false
        }
        return response.status.code == 200 && String(decoding: body, as: UTF8.self).contains("\"true\"")
    }

    /// Returns the last lines of etcd's log, for failure messages.
    package func logTail() -> String {
        let log = (try? String(contentsOf: directory.appendingPathComponent("etcd.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(8).joined(separator: "\n")
    }

    /// Kills etcd at once (SIGKILL), as a crash would, and reaps it. The
    /// data directory stays until `stop()`.
    package func kill() async {
        Glibc.kill(pid, SIGKILL)
        await ChildProcess.reap(pid, within: .seconds(10))
    }

    /// Stops etcd (SIGTERM, then SIGKILL after five seconds), reaps it and
    /// removes its data directory.
    package func stop() async {
        if ChildProcess.isRunning(pid) {
            Glibc.kill(pid, SIGTERM)
            if await !ChildProcess.reap(pid, within: .seconds(5)) {
                Glibc.kill(pid, SIGKILL)
                await ChildProcess.reap(pid, within: .seconds(10))
            }
        }
        ChildProcess.forget(pid: pid)
        try? FileManager.default.removeItem(at: directory)
    }
}

package struct EtcdPeerError: Error, CustomStringConvertible {
    package var description: String

    package init(description: String) {
        self.description = description
    }
}

/// Hands out free loopback ports, never the same one twice in a test run.
package enum LoopbackPorts {
    private static let handedOut = Mutex<Set<Int>>([])

    /// Returns `count` distinct ports that were free a moment ago, for peers
    /// such as etcd that cannot listen on port 0 and report the port. The
    /// sockets stay bound until all ports are chosen, so they differ.
    package static func reserve(_ count: Int) throws -> [Int] {
        var sockets: [Socket] = []
        defer { sockets.forEach { $0.close() } }
        var ports: [Int] = []
        while ports.count < count {
            let socket = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
            sockets.append(socket)
            guard let port = try socket.localAddress()?.port else {
                throw EtcdPeerError(description: "a loopback socket bound to port 0 has no local port")
            }
            if handedOut.withLock({ $0.insert(port).inserted }) {
                ports.append(port)
            }
        }
        return ports
    }
}

extension LoopbackPorts {
    /// Sockets bound and never listened on, kept open until the test
    /// process exits, so no other test's server can take their ports.
    private static let unreachableSockets = Mutex<[Int32]>([])

    /// Returns a loopback `host:port` that refuses connections for the rest
    /// of the test run: a port held by a socket that is bound but does not
    /// listen. A port of a stopped server is no substitute, because a
    /// server of a test running in parallel can get it next.
    package static func unreachableEndpoint() throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw EtcdPeerError(description: "cannot open a socket: errno \(errno)")
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else {
            close(descriptor)
            throw EtcdPeerError(description: "cannot bind a loopback socket: errno \(errno)")
        }
        unreachableSockets.withLock { $0.append(descriptor) }
        return "127.0.0.1:\(Int(UInt16(bigEndian: address.sin_port)))"
    }
}
