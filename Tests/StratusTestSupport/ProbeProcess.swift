package import Foundation
import Glibc

/// A probe process, one of the package's test executables, with its
/// standard output on a pipe.
package final class ProbeProcess: @unchecked Sendable {
    package let pid: pid_t
    /// The read end of the child's standard output; owned by this object.
    package let output: FileHandle
    private var exited = false

    /// Returns the path of a package executable, which SwiftPM builds next to the
    /// test binary or in a directory above it.
    package static func executable(_ name: String) -> String {
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: binary).deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent(name).path
    }

    /// Starts the executable `name` with `arguments` and `environment` on
    /// top of this process's; its standard error goes to `logPath`.
    package init(_ name: String, _ arguments: [String], logPath: String = "/dev/null", environment: [String: String] = [:]) throws {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE)
        }
        // Other children spawned concurrently must not inherit the pipe, or
        // the reader would never see end of file.
        _ = fcntl(descriptors[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
        defer { close(descriptors[1]) }
        do {
            pid = try ChildProcess.spawn([Self.executable(name)] + arguments, logPath: logPath, outputPipe: (descriptors[0], descriptors[1]), environment: environment)
        } catch {
            close(descriptors[0])
            throw error
        }
        output = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true)
    }

    /// Sends `signal` and waits for the process to exit.
    package func kill(_ signal: Int32 = SIGKILL) {
        guard !exited else { return }
        Glibc.kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        exited = true
    }

    /// Waits for the process to exit on its own and returns its exit
    /// status, or 128 plus the signal number when a signal ended it.
    package func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        exited = true
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Waits for the process to exit on its own, on a thread of its own, so
    /// the wait does not hold one of the few shared task threads (two on a
    /// two-core machine), which every other test needs too.
    package func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                continuation.resume(returning: waitForExit())
            }
        }
    }

    deinit {
        kill()
    }
}

/// Reads lines from a pipe on a thread of its own, so a blocking read does
/// not hold one of the shared task threads.
package final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    package init(_ handle: FileHandle) {
        self.handle = handle
    }

    /// Returns the next line, or nil at end of file.
    package func nextLine() async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                continuation.resume(returning: readLineBlocking())
            }
        }
    }

    private func readLineBlocking() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let chunk = handle.availableData
            guard !chunk.isEmpty else { return nil }
            buffer.append(contentsOf: chunk)
        }
    }
}
