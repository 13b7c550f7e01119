import Foundation
import StratusTestSupport
import Testing

/// Runs PyPI's etcd3gw client through the same operations against a real
/// etcd and against the store API, with `Tests/Scripts/etcd3gw_compat.py`,
/// and expects the same normalized transcript from both.
@Suite struct Etcd3gwCompatibilityTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repositoryRoot.appendingPathComponent(".build/python/bin/python")
    static let script = repositoryRoot.appendingPathComponent("Tests/Scripts/etcd3gw_compat.py")

    static var pythonIsMissing: Bool {
        !FileManager.default.isExecutableFile(atPath: python.path)
    }

    @Test(.disabled(if: pythonIsMissing, "the Python environment at .build/python is missing; run `make bootstrap`"))
    func transcriptMatchesEtcd() async throws {
        let etcd = try await EtcdPeer.start(name: "etcd3gw-compat")
        let gateway: GatewayPeer
        do {
            gateway = try await GatewayPeer.start()
        } catch {
            await etcd.stop()
            throw error
        }
        var failure: (any Error)?
        do {
            try await Self.compareTranscripts(etcd: etcd.clientURL, gateway: gateway.url)
        } catch {
            failure = error
        }
        await gateway.stop()
        await etcd.stop()
        if let failure {
            throw failure
        }
    }

    private static func compareTranscripts(etcd: String, gateway: String) async throws {
        let expected = try await runScript(against: etcd)
        let actual = try await runScript(against: gateway)

        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
        let location = firstDifference.map { " first at line \($0.offset + 1): etcd \"\($0.element.0)\", gateway \"\($0.element.1)\"" } ?? " in length"
        #expect(actual == expected, "etcd3gw transcripts differ\(location)\netcd:\n\(expected)\ngateway:\n\(actual)")
        #expect(expected.contains("\"watch one event\""), "the transcript is missing its watch step:\n\(expected)")
    }

    /// The maximum time the script may run before it is killed: far above a
    /// normal run (about a second), so that only a hung run reaches it.
    static let scriptTimeLimit: TimeInterval = 120

    /// Runs the script against `url` on a thread of its own, because waiting
    /// for a process blocks, and returns its standard output.
    static func runScript(against url: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try runScriptBlocking(against: url) })
            }
            thread.start()
        }
    }

    private static func runScriptBlocking(against url: String) throws -> String {
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, url]
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
        DispatchQueue.global().asyncAfter(deadline: .now() + scriptTimeLimit, execute: timer)
        defer { timer.cancel() }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GatewayTestError(description: """
                etcd3gw_compat.py against \(url) exited with status \(process.terminationStatus) \
                (if etcd3gw is missing, run `make bootstrap`):
                \(String(decoding: stderr, as: UTF8.self))
                """)
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
