import Foundation
@testable import StratusOrchestrator
import Testing

@Suite struct ProcessInfoParsingTests {
    @Test func statLineGivesCPUTime() throws {
        // A /proc/<pid>/stat line whose command contains spaces and a ")".
        let line = "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 150 0 0 20 0 4 0 100 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let time = try #require(ProcessCPUTime.parse(line))
        #expect(time == .milliseconds(Int64((400 / ticks * 1000).rounded())))
    }

    @Test func malformedStatRejected() {
        #expect(ProcessCPUTime.parse("no parenthesis") == nil)
        #expect(ProcessCPUTime.parse("1 (x) S 1 2") == nil)
    }

    @Test func ownProcessHasCPUTime() {
        #expect(ProcessCPUTime.read(getpid()) != nil)
        #expect(ProcessCPUTime.read(-5) == nil)
    }

    @Test func exitStatusDescribed() {
        #expect(ProcessExit(waitStatus: 3 << 8).description == "exit status 3")
        #expect(ProcessExit(waitStatus: 9).description == "signal 9 (SIGKILL)")
    }

    @Test func logLineRoundTrips() throws {
        let line = LogLine(time: Date(timeIntervalSince1970: 1_780_000_000.125), text: "hello | world")
        let parsed = try #require(LogLine(parsing: Substring(line.formatted)))
        #expect(parsed.text == "hello | world")
        #expect(abs(parsed.time.timeIntervalSince1970 - 1_780_000_000.125) < 0.001)
        #expect(line.formatted.hasPrefix("2026-05-28T"))
        #expect(LogLine(parsing: "not a time") == nil)
    }
}
