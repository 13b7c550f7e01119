import Foundation
import Glibc
import StratusTestSupport

/// One run of the `stratus` command line, with its output collected.
final class ProcessRun: @unchecked Sendable {
    private let process: ProbeProcess
    private let errorPath: String
    private var output: [UInt8] = []

    init(_ arguments: [String]) throws {
        errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-run-\(UUID().uuidString).err").path
        process = try ProbeProcess("stratus", arguments, logPath: errorPath)
    }

    /// Waits for the command to exit, reading its output, and returns its
    /// exit status.
    func finish() async -> Int32 {
        let handle = process.output
        let bytes = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: [UInt8](handle.readDataToEndOfFile()))
            }
        }
        output = bytes
        return process.waitForExit()
    }

    var standardOutput: String { String(decoding: output, as: UTF8.self) }

    var standardError: String {
        (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    }

    deinit {
        try? FileManager.default.removeItem(atPath: errorPath)
    }
}
