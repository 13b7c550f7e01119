import Foundation
import Glibc
import StratusTestSupport

/// A Python script of Tests/Scripts run with the system's python3, which
/// needs only the standard library.
enum PythonPeer {
    static let python = "/usr/bin/python3"
    static var isMissing: Bool { !FileManager.default.isExecutableFile(atPath: python) }

    static func scriptPath(_ name: String) -> String {
        PythonScript.repositoryRoot.appendingPathComponent("Tests/Scripts/\(name)").path
    }

    /// Runs the script to its end on a thread of its own and returns its
    /// exit status and output. With `lowPriority`, the script runs at the
    /// lowest CPU priority (nice 19).
    static func run(_ name: String, _ arguments: [String], lowPriority: Bool = false) async throws -> (status: Int32, output: String) {
        try await blocking {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [scriptPath(name)] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            if lowPriority {
                lowerPriority(of: process.processIdentifier)
            }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    /// Starts the script as a server that prints `ready PORT` first, and
    /// returns the process and the port. The child gets default signal
    /// handling, so `stop()` ends it, and its standard error goes to
    /// /dev/null, so it never keeps the test runner's output open.
    static func startServer(_ name: String, _ arguments: [String]) async throws -> (PythonServer, Int) {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw GatewayTestError(description: "pipe failed: errno \(errno)") }
        _ = fcntl(descriptors[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
        let pid = try ChildProcess.spawn([python, scriptPath(name)] + arguments, logPath: "/dev/null", outputPipe: (descriptors[0], descriptors[1]))
        close(descriptors[1])
        let output = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true)
        let server = PythonServer(pid: pid, output: output)
        let reader = LineReader(output)
        guard let line = await reader.nextLine(), line.hasPrefix("ready "), let port = Int(line.dropFirst(6)) else {
            server.stop()
            throw GatewayTestError(description: "\(name) did not start")
        }
        return (server, port)
    }
}

/// Gives a process the lowest CPU priority (nice 19), so that a test that
/// saturates the CPU from other processes leaves the test process, which
/// other suites share, its turns.
func lowerPriority(of pid: pid_t) {
    setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), 19)
}

/// A Python server process that a test started.
final class PythonServer: Sendable {
    let pid: pid_t
    private let output: FileHandle

    init(pid: pid_t, output: FileHandle) {
        self.pid = pid
        self.output = output
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
