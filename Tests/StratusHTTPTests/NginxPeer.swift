import Foundation
import Glibc
import Testing

/// An nginx process on a free loopback port with its own temporary prefix,
/// for tests that need a real HTTP peer. `locations` is inserted into the
/// server block.
final class NginxPeer {
    let port: Int
    private let pid: pid_t
    private let directory: URL

    static var executable: String? {
        ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(locations: String) async throws {
        let executable = try #require(Self.executable, "nginx is not installed; run make bootstrap")
        port = try reserveFreePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(directory.path)/nginx.pid;
            error_log \(directory.path)/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(directory.path)/body;
                proxy_temp_path \(directory.path)/proxy;
                fastcgi_temp_path \(directory.path)/fastcgi;
                uwsgi_temp_path \(directory.path)/uwsgi;
                scgi_temp_path \(directory.path)/scgi;
                server {
                    listen 127.0.0.1:\(port);
                    \(locations)
                }
            }
            """
        let file = directory.appendingPathComponent("nginx.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        pid = try Self.spawn([executable, "-p", directory.path, "-c", file.path])
        do {
            try await waitUntilListening()
        } catch {
            stop()
            throw error
        }
    }

    /// Polls the port until nginx accepts, for at most five seconds. nginx
    /// reports readiness no other way; `Task.sleep` keeps the shared task
    /// threads free between polls.
    private func waitUntilListening() async throws {
        for _ in 0..<500 {
            if canConnect() { return }
            guard kill(pid, 0) == 0 else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        throw NginxStartError(description: "nginx did not start on port \(port): \(log)")
    }

    private func canConnect() -> Bool {
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

    /// Stops nginx and waits for it to exit. Foundation's `Process` is not
    /// used because its `waitUntilExit` spins when called off the main thread.
    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts a child with an empty signal mask and default signal actions.
    /// The mask matters: the test process's threads block signals, a child
    /// inherits the mask across exec, and nginx would then ignore SIGTERM.
    private static func spawn(_ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let result = posix_spawn(&pid, arguments[0], nil, &attributes, &cArguments, environ)
        guard result == 0 else {
            throw NginxStartError(description: "cannot start \(arguments[0]): errno \(result)")
        }
        return pid
    }

    struct NginxStartError: Error, CustomStringConvertible {
        var description: String
    }
}
