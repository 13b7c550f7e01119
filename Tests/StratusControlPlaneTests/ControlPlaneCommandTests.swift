import Foundation
import StratusTestSupport
import Testing

/// `stratus controlplane` rejects bad options with exit status 2 and a
/// message that names the value.
@Suite struct ControlPlaneCommandTests {
    private func run(_ arguments: [String]) async throws -> (status: Int32, errors: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-cli-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let process = try ProbeProcess("stratus", arguments, logPath: log)
        let reader = LineReader(process.output)
        while await reader.nextLine() != nil {}
        let status = await process.exitStatus()
        return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    @Test(arguments: [
        (["controlplane", "--store", "bogus"], "invalid --store bogus"),
        (["controlplane", "--store", "embedded:"], "invalid --store embedded:"),
        (["controlplane", "--listen", "nope"], "invalid --listen nope"),
        (["controlplane", "--listen", "127.0.0.1:70000"], "invalid --listen 127.0.0.1:70000"),
        (["controlplane", "--port", "1"], "unknown option --port"),
        (["controlplane", "--store"], "missing value for --store"),
        (["controlplane", "--events-sync", "sometimes"], "invalid --events-sync sometimes"),
        (["controlplane", "--events-max-age", "0"], "invalid --events-max-age 0"),
        (["controlplane", "--events-max-bytes", "12"], "invalid --events-max-bytes 12"),
        (["controlplane", "--events-dir", ""], "invalid --events-dir"),
        (["launch"], "unknown command launch"),
    ])
    func badOptionsExitWithUsage(arguments: [String], message: String) async throws {
        let (status, errors) = try await run(arguments)
        #expect(status == 2)
        #expect(errors.contains(message), "standard error was: \(errors)")
    }
}
