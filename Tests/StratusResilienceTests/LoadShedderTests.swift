import Synchronization
import Testing
import StratusResilience

/// A CPU reading that tests set by hand.
final class CPUGauge: Sendable {
    private let value = Mutex<Double>(0)

    func set(_ usage: Double) { value.withLock { $0 = usage } }
    var read: @Sendable () -> Double { { [self] in value.withLock { $0 } } }
}

@Suite struct LoadShedderTests {
    /// Runs requests of 10 ms, 5 at a time, for 2 s of the manual clock, so
    /// the shedder learns max throughput and min latency.
    private func warmUp(_ shedder: LoadShedder, clock: ManualClock) {
        for _ in 0..<200 {
            let started = (0..<5).map { _ in shedder.admit().startedAt }
            clock.advance(nanoseconds: 10_000_000)
            for start in started {
                shedder.complete(startedAt: start)
            }
        }
    }

    /// Returns a shedder that has learned the warm-up load, with its clock and CPU gauge.
    private func warmShedder(mode: EnforcementMode = .enforce) -> (LoadShedder, ManualClock, CPUGauge) {
        let clock = ManualClock()
        let cpu = CPUGauge()
        let shedder = LoadShedder(mode: mode, clock: clock.clock, cpuUsage: cpu.read)
        warmUp(shedder, clock: clock)
        return (shedder, clock, cpu)
    }

    @Test func idleCPUAdmitsEverything() {
        let (shedder, _, _) = warmShedder()
        let decisions = (0..<100).map { _ in shedder.admit().decision }
        #expect(decisions.allSatisfy { $0.isAdmitted })
    }

    @Test func busyCPUShedsAboveBandwidthDelayProduct() {
        let (shedder, _, cpu) = warmShedder()
        cpu.set(0.95)
        // 50 completions per 100 ms bucket × 10 ms min latency / 100 ms = 5 in flight.
        let admitted = (0..<5).map { _ in shedder.admit() }
        #expect(admitted.allSatisfy { $0.decision.isAdmitted })
        let sixth = shedder.admit()
        #expect(sixth.decision == .rejected(retryAfter: .seconds(1)))
        #expect(shedder.counters.rejected == 1)
        shedder.complete(startedAt: admitted[0].startedAt)
        #expect(shedder.admit().decision.isAdmitted, "room again once one completed")
    }

    @Test func coolDownKeepsCheckingAfterShed() {
        let (shedder, clock, cpu) = warmShedder()
        cpu.set(0.95)
        for _ in 0..<6 {
            _ = shedder.admit()
        }
        #expect(shedder.counters.rejected == 1)
        cpu.set(0.1)
        #expect(!shedder.admit().decision.isAdmitted, "within the cool-down the CPU reading is not trusted")
        clock.advance(nanoseconds: 1_100_000_000)
        #expect(shedder.admit().decision.isAdmitted)
    }

    @Test func dryRunCountsWouldShed() {
        let (shedder, _, cpu) = warmShedder(mode: .dryRun)
        cpu.set(0.95)
        let decisions = (0..<8).map { _ in shedder.admit().decision }
        #expect(decisions.allSatisfy { $0.isAdmitted })
        #expect(shedder.counters.wouldReject == 3)
    }
}
