import Foundation
import StratusTestSupport
import Testing

/// Runs PyPI's etcd3gw client through the same operations against a real
/// etcd and against the store API, with `Tests/Scripts/etcd3gw_compat.py`,
/// and expects the same normalized transcript from both.
@Suite struct Etcd3gwCompatibilityTests {
    @Test(.disabled(if: PythonScript.isMissing, "the Python environment at .build/python is missing; run `make bootstrap`"))
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
    /// Runs the script against `url` and returns its standard output.
    static func runScript(against url: String) async throws -> String {
        let output = try await PythonScript.run("etcd3gw_compat.py", arguments: [url])
        guard output.status == 0 else {
            throw GatewayTestError(description: """
                etcd3gw_compat.py against \(url) exited with status \(output.status) \
                (if etcd3gw is missing, run `make bootstrap`):
                \(output.standardError)
                """)
        }
        return output.standardOutput
    }
}
