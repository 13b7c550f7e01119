import Synchronization
import Testing
@testable import StratusResilience

@Suite struct CPUUsageSamplerTests {
    @Test func usageIsCPUTimeOverWallTimeAndCPUs() {
        let clock = ManualClock()
        let cpuTime = Atomic<UInt64>(0)
        let sampler = CPUUsageSampler(interval: .milliseconds(250), cpuCount: 2, clock: clock.clock) {
            cpuTime.load(ordering: .relaxed)
        }
        #expect(sampler.usage == 0, "no sample before one interval has passed")
        cpuTime.store(300_000_000, ordering: .relaxed)
        clock.advance(nanoseconds: 250_000_000)
        #expect(sampler.usage == 0.6, "300 ms of CPU in 250 ms on 2 CPUs")
        cpuTime.store(400_000_000, ordering: .relaxed)
        clock.advance(nanoseconds: 100_000_000)
        #expect(sampler.usage == 0.6, "the sample is kept until the next interval ends")
        clock.advance(nanoseconds: 150_000_000)
        #expect(sampler.usage == 0.2)
    }

    @Test func realSamplerStaysWithinZeroAndOne() {
        let sampler = CPUUsageSampler(interval: .milliseconds(10))
        #expect(sampler.cpuCount >= 1)
        let usage = sampler.usage
        #expect(usage >= 0)
        #expect(usage <= 1)
    }
}
