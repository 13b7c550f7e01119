import Testing
import StratusResilience

/// Load shedding at three times a service's capacity, in the discrete-event
/// simulation of `ServiceSimulation`: 8 workers, 5 to 15 ms per request, so
/// a capacity of 800 requests per second, for 60 s of simulated time.
///
/// The first 5 s of a run are served but not measured. Before the first
/// CPU sample (250 ms) no CPU-gated shedder can detect an overload, so
/// about 400 requests queue at a cold start and take most of a second to
/// drain. They are 0.8 % of a minute's requests and would decide the p99
/// alone.
@Suite struct LoadShedderSimulationTests {
    static let warmUp: UInt64 = 5_000_000_000
    static let capacity = ServiceSimulation(load: 1).capacity

    private func simulate(load: Double, shedding: Bool, seed: UInt64 = 42) -> ServiceSimulation.Result {
        var simulation = ServiceSimulation(load: load)
        simulation.shedding = shedding
        simulation.seed = seed
        simulation.measuredFrom = Self.warmUp
        return simulation.run()
    }

    @Test(arguments: [42, 7, 2_024] as [UInt64])
    func sheddingKeepsGoodputAndP99(seed: UInt64) {
        let unloaded = simulate(load: 0.5, shedding: true, seed: seed)
        let overloaded = simulate(load: 3, shedding: true, seed: seed)

        #expect(unloaded.shed == 0, "at half capacity nothing is shed")
        #expect(overloaded.goodput >= 0.8 * Self.capacity, "goodput \(overloaded.goodput)/s, capacity \(Self.capacity)/s")
        #expect(
            overloaded.p99 <= 3 * unloaded.p99,
            "p99 \(overloaded.p99 / 1_000) µs at 3x load, \(unloaded.p99 / 1_000) µs at 0.5x"
        )
    }

    @Test func withoutSheddingP99Explodes() {
        let unloaded = simulate(load: 0.5, shedding: false)
        let overloaded = simulate(load: 3, shedding: false)

        #expect(overloaded.p99 > 3 * unloaded.p99, "p99 \(overloaded.p99 / 1_000) µs at 3x load, \(unloaded.p99 / 1_000) µs at 0.5x")
    }

    /// 10 s at half capacity, then 50 s at three times, measured from the
    /// jump. With a prompt CPU reading (10 ms samples) shedding starts at
    /// once, with the limit learned at half load: about 5 in flight for 8
    /// workers. The shedder must grow it, and without the growth bucket of
    /// its gain cycle goodput stayed between 34 % and 53 % of capacity.
    @Test(arguments: [42, 7, 2_024] as [UInt64])
    func sheddingGrowsLimitLearnedUnderLightLoad(seed: UInt64) {
        var simulation = ServiceSimulation(load: 0.5, duration: 10_000_000_000)
        simulation.phases.append(.init(duration: 50_000_000_000, rate: 3 * Self.capacity))
        simulation.cpuSampleInterval = 10_000_000
        simulation.measuredFrom = 10_000_000_000
        simulation.seed = seed
        let result = simulation.run()
        let unloaded = simulate(load: 0.5, shedding: true, seed: seed)

        #expect(result.goodput >= 0.75 * Self.capacity, "goodput \(result.goodput)/s, capacity \(Self.capacity)/s")
        #expect(result.p99 <= 3 * unloaded.p99, "p99 \(result.p99 / 1_000) µs after the jump, \(unloaded.p99 / 1_000) µs at 0.5x")
    }
}
