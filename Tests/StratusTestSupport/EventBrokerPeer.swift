package import Foundation
import Glibc
import StratusHTTP
package import StratusEvents

/// A broker process for the event-bus tests: `stratus controlplane` with
/// its embedded broker, or `nats-server` with JetStream. Both listen on a
/// fixed loopback port and keep their data in a temporary directory, so a
/// `kill()` followed by `restart()` brings back the same broker at the same
/// address, as after a crash.
package final class EventBrokerPeer: @unchecked Sendable {
    package enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        case embedded
        case nats

        package var description: String { rawValue }
    }

    package let kind: Kind
    package let port: Int
    package let directory: URL
    private let extraArguments: [String]
    /// Loop state: only the test that owns the peer touches it.
    private var pid: pid_t = 0

    package static let natsExecutable = "/usr/sbin/nats-server"

    /// Whether nats-server is missing, for tests of the NATS backend.
    package static var natsMissing: Bool {
        !FileManager.default.isExecutableFile(atPath: natsExecutable)
    }

    /// Starts a broker and waits until it accepts connections.
    package init(_ kind: Kind, extraArguments: [String] = []) async throws {
        self.kind = kind
        self.extraArguments = extraArguments
        port = try LoopbackPorts.belowEphemeralRange()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-events-\(kind)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await start()
    }

    /// The bus configuration that reaches this broker.
    package var busConfiguration: EventBusConfiguration {
        var configuration = EventBusConfiguration(backend: kind == .embedded ? .embedded(url: "http://127.0.0.1:\(port)") : .nats(urls: ["nats://127.0.0.1:\(port)"]))
        configuration.requestTimeout = .seconds(5)
        return configuration
    }

    package func makeBus() throws -> EventBus {
        try EventBus(configuration: busConfiguration)
    }

    private var arguments: [String] {
        switch kind {
        case .embedded:
            [ProbeProcess.executable("stratus"), "controlplane", "--store", "embedded:" + directory.appendingPathComponent("data").path,
             "--listen", "127.0.0.1:\(port)", "--no-health-checks"] + extraArguments
        case .nats:
            [Self.natsExecutable, "-js", "-a", "127.0.0.1", "-p", "\(port)", "-sd", directory.appendingPathComponent("jetstream").path] + extraArguments
        }
    }

    private func start() async throws {
        if kind == .nats && Self.natsMissing {
            throw EtcdPeerError(description: "nats-server is not installed at \(Self.natsExecutable); run make bootstrap (Debian package nats-server)")
        }
        pid = try ChildProcess.spawn(arguments, logPath: directory.appendingPathComponent("\(kind).log").path)
        ChildProcess.registerForExit(pid: pid, directory: directory.path)
        try await waitUntilListening()
    }

    /// Polls until the port accepts a connection, for at most 20 seconds.
    private func waitUntilListening() async throws {
        for _ in 0..<400 {
            if Self.accepts(port: port) { return }
            guard ChildProcess.isRunning(pid) else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw EtcdPeerError(description: "\(kind) broker did not listen on 127.0.0.1:\(port): \(logTail())")
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    package func logTail() -> String {
        let log = (try? String(contentsOf: directory.appendingPathComponent("\(kind).log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(8).joined(separator: "\n")
    }

    /// Kills the broker with SIGKILL, as a crash would, and reaps it.
    package func kill() async {
        Glibc.kill(pid, SIGKILL)
        await ChildProcess.reap(pid, within: .seconds(10))
        ChildProcess.forget(pid: pid)
    }

    /// Starts the broker again on the same port and data directory.
    package func restart() async throws {
        try await start()
    }

    /// Stops the broker and removes its data directory.
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

extension LoopbackPorts {
    /// Returns a free loopback port below the ephemeral range, for a server
    /// that must come back on the same port after a restart: a server that
    /// binds port 0 in the meantime never gets such a port.
    package static func belowEphemeralRange() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20_000...32_767)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            if bound { return port }
        }
        throw EtcdPeerError(description: "no free port from 20000 to 32767 on 127.0.0.1")
    }
}
