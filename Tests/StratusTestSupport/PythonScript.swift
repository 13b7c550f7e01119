package import Foundation

/// Runs a script of Tests/Scripts with the Python environment that
/// `make bootstrap` creates in `.build/python`.
package enum PythonScript {
    package static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    package static let python = repositoryRoot.appendingPathComponent(".build/python/bin/python")

    package static var isMissing: Bool {
        !FileManager.default.isExecutableFile(atPath: python.path)
    }

    package struct Output: Sendable {
        package var status: Int32
        package var standardOutput: String
        package var standardError: String
    }

    /// Runs `Tests/Scripts/<name>` with `arguments` on a thread of its own,
    /// because waiting for a process blocks, and stops it after `timeLimit`.
    package static func run(_ name: String, arguments: [String], timeLimit: TimeInterval = 120) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try runBlocking(name, arguments: arguments, timeLimit: timeLimit) })
            }
            thread.start()
        }
    }

    private static func runBlocking(_ name: String, arguments: [String], timeLimit: TimeInterval) throws -> Output {
        let process = Process()
        process.executableURL = python
        process.arguments = [repositoryRoot.appendingPathComponent("Tests/Scripts/\(name)").path] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let timer = DispatchWorkItem { [process] in
            if process.isRunning {
                process.terminate()
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: timer)
        defer { timer.cancel() }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            standardOutput: String(decoding: stdout, as: UTF8.self),
            standardError: String(decoding: stderr, as: UTF8.self)
        )
    }
}
