import Glibc
@testable import StratusTelemetry
import Testing

@Suite("Process metrics")
struct MetricsProcessTests {
    @Test func statParsesAfterCommand() throws {
        let fields = (3...52).map { String($0) }.joined(separator: " ")
        let stat = try #require(ProcessStat("1234 (a (b) c) \(fields)"))
        #expect(stat.userTicks == 14)
        #expect(stat.systemTicks == 15)
        #expect(stat.startTicks == 22)
        #expect(stat.virtualMemoryBytes == 23)
        #expect(stat.residentPages == 24)
    }

    @Test func statRejectsShortLine() {
        #expect(ProcessStat("1 (x) S 1 2") == nil)
    }

    @Test func processMetricsExposed() throws {
        let registry = MetricsRegistry()
        registry.registerProcessMetrics()
        let text = registry.exposition()
        let names = [
            "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
            "process_open_fds", "process_max_fds", "process_start_time_seconds",
        ]
        for name in names {
            let value = try #require(sampleValue(name, in: text).flatMap(Double.init), "\(name)")
            #expect(value > 0, "\(name)")
        }
    }

    @Test func startTimeIsRecent() throws {
        let registry = MetricsRegistry()
        registry.registerProcessMetrics()
        let start = try #require(sampleValue("process_start_time_seconds", in: registry.exposition()).flatMap(Double.init))
        // 1,577,836,800 is 2020-01-01T00:00:00Z in seconds since the epoch.
        #expect(start > 1_577_836_800)
        // btime is in whole seconds and drifts with clock adjustments since
        // boot, so the start time may read slightly after the current time.
        #expect(start <= Double(time(nil)) + 60)
    }

    @Test func sharedRegistryHasProcessMetrics() {
        #expect(MetricsRegistry.shared.exposition().contains("# TYPE process_open_fds gauge"))
    }
}
