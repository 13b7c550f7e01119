package import Foundation
import Glibc

/// A PostgreSQL server process on a free loopback port with a temporary
/// data directory, for tests that need a real PostgreSQL. It runs Debian's
/// binaries without durability (`fsync=off`): the data lives only as long
/// as the test run.
///
/// PostgreSQL refuses to run as root. When the tests run as root, the server
/// runs as the unprivileged user `unprivilegedUser`, which `make bootstrap`
/// creates, through `setpriv`.
package final class PostgresPeer: Sendable {
    package static let binaries = "/usr/lib/postgresql/15/bin"
    package static let unprivilegedUser = "stratus-test"
    /// The superuser the cluster is initialized with; it connects without a
    /// password (`trust`), from loopback only.
    package static let superuser = "stratus"

    package let port: Int
    package let directory: URL
    package let pid: pid_t
    private let identity: Identity?

    struct Identity: Sendable {
        let uid: uid_t
        let gid: gid_t
    }

    /// Initializes a cluster and starts a server, waiting until it accepts
    /// connections. A port taken between choosing and binding it is retried
    /// on another, up to three times.
    package static func start() async throws -> PostgresPeer {
        var attempt = 1
        while true {
            let peer = try PostgresPeer(port: try LoopbackPorts.reserve(1)[0])
            do {
                try await peer.waitUntilReady()
                return peer
            } catch {
                let portTaken = peer.logTail().contains("Address already in use")
                await peer.stop()
                guard portTaken && attempt < 3 else { throw error }
                attempt += 1
            }
        }
    }

    private init(port: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binaries + "/postgres") else {
            throw EtcdPeerError(description: "PostgreSQL 15 is not installed at \(Self.binaries); run make bootstrap (Debian package postgresql)")
        }
        self.port = port
        identity = try Self.runIdentity()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-postgres-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let identity {
            guard chown(directory.path, identity.uid, identity.gid) == 0 else {
                throw EtcdPeerError(description: "cannot give \(directory.path) to \(Self.unprivilegedUser): errno \(errno)")
            }
        }
        let data = directory.appendingPathComponent("data").path
        let log = directory.appendingPathComponent("postgres.log").path
        let initdb = [Self.binaries + "/initdb", "-D", data, "-U", Self.superuser, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]
        let status = try Self.runToCompletion(Self.wrap(initdb, identity), logPath: log)
        guard status == 0 else {
            throw EtcdPeerError(description: "initdb exited with status \(status): \(Self.tail(of: log))")
        }
        let server = [
            Self.binaries + "/postgres", "-D", data, "-p", "\(port)", "-k", directory.path,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        ]
        pid = try ChildProcess.spawn(Self.wrap(server, identity), logPath: log)
        ChildProcess.registerForExit(pid: pid, directory: directory.path)
    }

    /// Returns a libpq connection string for `database`.
    package func url(database: String) -> String {
        "postgresql://\(Self.superuser)@127.0.0.1:\(port)/\(database)"
    }

    /// Creates an empty database, for a test that needs one of its own.
    package func createDatabase(_ name: String) throws {
        let arguments = [Self.binaries + "/createdb", "-h", "127.0.0.1", "-p", "\(port)", "-U", Self.superuser, name]
        let log = directory.appendingPathComponent("createdb.log").path
        let status = try Self.runToCompletion(arguments, logPath: log)
        guard status == 0 else {
            throw EtcdPeerError(description: "createdb \(name) exited with status \(status): \(Self.tail(of: log))")
        }
    }

    /// Polls `pg_isready` until the server accepts connections, for at most
    /// 30 seconds.
    private func waitUntilReady() async throws {
        let probe = [Self.binaries + "/pg_isready", "-q", "-h", "127.0.0.1", "-p", "\(port)", "-U", Self.superuser]
        for _ in 0..<300 {
            guard ChildProcess.isRunning(pid) else { break }
            if try Self.runToCompletion(probe, logPath: "/dev/null") == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw EtcdPeerError(description: "PostgreSQL did not accept connections on 127.0.0.1:\(port): \(logTail())")
    }

    package func logTail() -> String {
        Self.tail(of: directory.appendingPathComponent("postgres.log").path)
    }

    /// Stops the server (fast shutdown on SIGINT, then SIGKILL) and removes
    /// its directory.
    package func stop() async {
        if ChildProcess.isRunning(pid) {
            kill(pid, SIGINT)
            if await !ChildProcess.reap(pid, within: .seconds(10)) {
                kill(pid, SIGKILL)
                await ChildProcess.reap(pid, within: .seconds(10))
            }
        }
        ChildProcess.forget(pid: pid)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Returns the user to run PostgreSQL as, or nil when this process is
    /// not root.
    private static func runIdentity() throws -> Identity? {
        guard getuid() == 0 else { return nil }
        guard let entry = getpwnam(unprivilegedUser) else {
            throw EtcdPeerError(description: "tests run as root and PostgreSQL refuses root; the user \(unprivilegedUser) is missing: run make bootstrap")
        }
        return Identity(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    private static func wrap(_ arguments: [String], _ identity: Identity?) -> [String] {
        guard let identity else { return arguments }
        return ["/usr/bin/setpriv", "--reuid=\(identity.uid)", "--regid=\(identity.gid)", "--clear-groups", "--"] + arguments
    }

    private static func runToCompletion(_ arguments: [String], logPath: String) throws -> Int32 {
        let child = try ChildProcess.spawn(arguments, logPath: logPath)
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static func tail(of path: String) -> String {
        let log = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(8).joined(separator: "\n")
    }
}
