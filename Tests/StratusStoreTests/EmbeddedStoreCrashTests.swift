import Foundation
import Glibc
import StratusTestSupport
import Testing
@testable import StratusStore

/// Kills a process that is writing to an embedded store with SIGKILL, then
/// checks that every write it acknowledged is on disk and that the revision
/// keeps increasing across restarts.
@Suite struct EmbeddedStoreCrashTests {
    @Test func acknowledgedWritesSurviveKill() async throws {
        let directory = try TemporaryDirectory()
        var lastRevision: Int64 = 0
        for round in 0..<3 {
            let child = try ProbeProcess("stratus-store-probe", ["write", "--path", directory.databasePath, "--writers", "16"])
            let reader = LineReader(child.output)
            var acknowledged: [(key: String, revision: Int64)] = []
            while acknowledged.count < 2000, let line = await reader.nextLine() {
                acknowledged.append(try Self.parseAck(line))
            }
            child.kill(SIGKILL)
            while let line = await reader.nextLine() {
                acknowledged.append(try Self.parseAck(line))
            }
            try #require(acknowledged.count >= 2000, "round \(round): the probe stopped after \(acknowledged.count) writes")

            let store = try EmbeddedStore(configuration: .testing(path: directory.databasePath, clock: ManualNanosecondClock()))
            for (key, revision) in acknowledged {
                let stored = try await store.get(key)
                #expect(stored?.modRevision == revision, "round \(round): acknowledged write \(key) at revision \(revision) is missing")
            }
            let firstRevision = try #require(acknowledged.map(\.revision).min())
            #expect(firstRevision > lastRevision, "round \(round): revisions restarted at \(firstRevision) after \(lastRevision)")
            lastRevision = try #require(acknowledged.map(\.revision).max())
            let next = try await store.put("after-restart", "\(round)")
            #expect(next > lastRevision)
            lastRevision = next
            await store.close()
        }
    }

    private static func parseAck(_ line: String) throws -> (key: String, revision: Int64) {
        let fields = line.split(separator: " ")
        guard fields.count == 3, fields[0] == "ack", let revision = Int64(fields[2]) else {
            throw ProbeOutputError(line: line)
        }
        return (String(fields[1]), revision)
    }
}

struct ProbeOutputError: Error, CustomStringConvertible {
    let line: String
    var description: String { "unexpected probe output line: \(line)" }
}
