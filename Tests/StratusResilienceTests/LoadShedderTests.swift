import Synchronization
import Testing
import StratusResilience

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

    /// Admits until the first rejection and returns the number admitted.
    private func admitUntilShed(_ shedder: LoadShedder) -> Int {
        var admitted = 0
        while shedder.admit().decision.isAdmitted && admitted < 1_000 {
            admitted += 1
        }
        return admitted
    }

    /// Completes `count` requests as if each took 10 ms, like the warm-up's.
    private func complete(_ count: Int, _ shedder: LoadShedder, clock: ManualClock) {
        for _ in 0..<count {
            shedder.complete(startedAt: clock.now - 10_000_000)
        }
    }

    @Test func busyCPUShedsAboveBandwidthDelayProduct() {
        let (shedder, clock, cpu) = warmShedder()
        cpu.set(0.95)
        // 50 completions per 100 ms bucket × 10 ms mean latency / 100 ms = 5.
        #expect(shedder.inFlightLimit == 5)
        // The first bucket of the gain cycle admits 5/4 of it, 5 + 1.
        #expect(admitUntilShed(shedder) == 6)
        #expect(shedder.admit().decision == .rejected(retryAfter: .seconds(1)))
        #expect(shedder.counters.rejected == 2)
        complete(1, shedder, clock: clock)
        #expect(shedder.admit().decision.isAdmitted, "room again once one completed")
    }

    @Test func gainCycleGrowsDrainsThenHolds() {
        let (shedder, clock, cpu) = warmShedder()
        cpu.set(0.95)
        let bucket: UInt64 = 100_000_000
        let limits = [6, 2, 2, 5, 5]
        var admitted: [Int] = []
        for _ in limits {
            let count = admitUntilShed(shedder)
            admitted.append(count)
            complete(count, shedder, clock: clock)
            clock.advance(nanoseconds: bucket)
        }
        #expect(admitted == limits)
        clock.advance(nanoseconds: 2_500_000_000 - UInt64(limits.count) * bucket)
        #expect(admitUntilShed(shedder) == 6, "a new cycle starts every half window")
    }

    @Test func coolDownKeepsCheckingAfterShed() {
        let (shedder, clock, cpu) = warmShedder()
        cpu.set(0.95)
        _ = admitUntilShed(shedder)
        #expect(shedder.counters.rejected == 1)
        cpu.set(0.1)
        #expect(!shedder.admit().decision.isAdmitted, "within the cool-down the CPU reading is not trusted")
        clock.advance(nanoseconds: 1_100_000_000)
        #expect(shedder.admit().decision.isAdmitted)
    }

    @Test func dryRunCountsWouldShed() {
        let (shedder, _, cpu) = warmShedder(mode: .dryRun)
        cpu.set(0.95)
        let decisions = (0..<9).map { _ in shedder.admit().decision }
        #expect(decisions.allSatisfy { $0.isAdmitted })
        #expect(shedder.counters.wouldReject == 3)
        #expect(shedder.requestsInFlight == 9)
    }

    @Test func unknownLimitAdmitsEverything() {
        let clock = ManualClock()
        let shedder = LoadShedder(clock: clock.clock, cpuUsage: { 1 })
        #expect(shedder.inFlightLimit == nil)
        let decisions = (0..<100).map { _ in shedder.admit().decision }
        #expect(decisions.allSatisfy { $0.isAdmitted }, "no completed bucket yet, so no limit")
    }
}
