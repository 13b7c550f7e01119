import Foundation
import Glibc
import Testing

/// Starting and waiting for the Prometheus tools as child processes.
///
/// Foundation's `Process` is not used because its `waitUntilExit` spins when
/// called off the main thread; children are started with `posix_spawn` and
/// reaped with `waitpid`.
enum ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `arguments[0]` with an empty signal mask and default signal
    /// actions, because the test process's threads block signals and a child
    /// inherits the mask across exec, so it would ignore SIGTERM. Standard
    /// input reads `inputPath` (or /dev/null); standard output and error go to
    /// `outputPath`.
    static func spawn(_ arguments: [String], inputPath: String = "/dev/null", outputPath: String) throws -> pid_t {
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

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var pid: pid_t = 0
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, &cArguments, environ)
        guard result == 0 else {
            throw Failure(description: "cannot start \(arguments[0]): errno \(result)")
        }
        return pid
    }

    /// Waits for `pid` to exit, polling for at most `timeout`; kills it with
    /// SIGKILL past that. Returns the exit status, or nil when a signal ended it.
    static func waitForExit(_ pid: pid_t, timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw Failure(description: "process \(pid) did not exit within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The layout of wait(2)'s status: the low 7 bits are the terminating
        // signal, zero on a normal exit, and bits 8-15 are the exit status.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : nil
    }

    /// Creates an empty directory under the temporary directory.
    static func makeTemporaryDirectory(prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// `promtool check metrics` run on an exposition.
enum Promtool {
    static let path = "/usr/bin/promtool"

    static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: path)
    }

    /// Returns promtool's exit status and its combined output.
    static func checkMetrics(_ exposition: String) async throws -> (status: Int32?, output: String) {
        let directory = try ChildProcess.makeTemporaryDirectory(prefix: "stratus-promtool")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("metrics.txt")
        let output = directory.appendingPathComponent("output.txt")
        try exposition.write(to: input, atomically: true, encoding: .utf8)
        let pid = try ChildProcess.spawn([path, "check", "metrics"], inputPath: input.path, outputPath: output.path)
        let status = try await ChildProcess.waitForExit(pid, timeout: .seconds(30))
        return (status, try String(contentsOf: output, encoding: .utf8))
    }
}

/// A Prometheus server on a free loopback port with its own temporary
/// configuration and storage, scraping one target every second.
final class PrometheusServer {
    static let path = "/usr/bin/prometheus"

    static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: path)
    }

    let port: Int
    let job: String
    private let pid: pid_t
    private let directory: URL

    init(scraping target: String, job: String) throws {
        port = try reserveFreeLoopbackPort()
        self.job = job
        directory = try ChildProcess.makeTemporaryDirectory(prefix: "stratus-prometheus")
        let configuration = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: \(job)
                scrape_interval: 1s
                scrape_timeout: 1s
                static_configs:
                  - targets: ["\(target)"]
            """
        let file = directory.appendingPathComponent("prometheus.yml")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        pid = try ChildProcess.spawn(
            [
                Self.path,
                "--config.file=\(file.path)",
                "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(port)",
            ],
            outputPath: directory.appendingPathComponent("prometheus.log").path
        )
    }

    /// The server's log so far, for failure messages.
    var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? ""
    }

    /// Stops Prometheus with SIGTERM, waits for it and removes its directory.
    func stop() async {
        kill(pid, SIGTERM)
        _ = try? await ChildProcess.waitForExit(pid, timeout: .seconds(20))
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Returns a loopback port that was free a moment ago, for peers that cannot listen
/// on port 0 and report the port.
func reserveFreeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
        }
    }
    guard bound else {
        throw ChildProcess.Failure(description: "cannot bind a loopback port: errno \(errno)")
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
