import Testing
import StratusDiscovery

extension LoadBalancingTests {
    @Suite struct PowerOfTwoChoicesBalancerTests {
        private let clock = ManualClock()

        private func makeBalancer(seed: UInt64 = 1) -> PowerOfTwoChoicesBalancer<SplitMix64> {
            PowerOfTwoChoicesBalancer(generator: SplitMix64(seed: seed), clock: clock)
        }

        /// Picks and reports until every UP instance has a latency sample, each
        /// instance reporting the latency that `latencies` gives for its id.
        private func measureAll(
            _ balancer: PowerOfTwoChoicesBalancer<SplitMix64>,
            in snapshot: InstanceSnapshot,
            latencies: [String: Duration]
        ) throws {
            for _ in 0..<1_000 where snapshot.upInstances.contains(where: { balancer.loadEstimate(for: $0.id)?.latency == nil }) {
                let pick = try #require(balancer.pick(from: snapshot))
                clock.advance(by: .milliseconds(1))
                balancer.report(.success(latency: latencies[pick.instance.id]!), for: pick)
            }
            for instance in snapshot.upInstances {
                #expect(balancer.loadEstimate(for: instance.id)?.latency != nil, "instance \(instance.id) has no sample")
            }
        }

        @Test func prefersFastInstance() throws {
            let balancer = makeBalancer()
            let snapshot = Fixtures.snapshot(count: 2)
            let latencies: [String: Duration] = ["i0": .milliseconds(10), "i1": .milliseconds(200)]
            try measureAll(balancer, in: snapshot, latencies: latencies)

            var counts: [String: Int] = [:]
            for _ in 0..<1_000 {
                let pick = try #require(balancer.pick(from: snapshot))
                counts[pick.instance.id, default: 0] += 1
                clock.advance(by: .milliseconds(1))
                balancer.report(.success(latency: latencies[pick.instance.id]!), for: pick)
            }

            // With two instances both are always compared. In 1 s of clock time
            // the slow estimate decays by exp(-0.1) only, to about 181 ms, so the
            // fast instance always wins.
            #expect(counts["i0"] == 1_000)
            #expect(counts["i1"] == nil)
        }

        @Test func prefersInstanceWithFewerOutstanding() throws {
            let balancer = makeBalancer()
            let snapshot = Fixtures.snapshot(count: 2)
            try measureAll(balancer, in: snapshot, latencies: ["i0": .milliseconds(10), "i1": .milliseconds(25)])

            // Scores of i0 are 10, 20, 30 ms with 0, 1, 2 outstanding, so the
            // third request goes to i1 at 25 ms, and the fourth to i0 (30 < 50).
            let ids = try (0..<4).map { _ in try #require(balancer.pick(from: snapshot)).instance.id }

            #expect(ids == ["i0", "i0", "i1", "i0"])
            #expect(balancer.loadEstimate(for: "i0")?.outstanding == 3)
            #expect(balancer.loadEstimate(for: "i1")?.outstanding == 1)
        }

        @Test func spreadsOutstandingRequests() throws {
            let balancer = makeBalancer(seed: 99)
            let snapshot = Fixtures.snapshot(count: 4)
            let latencies = Dictionary(uniqueKeysWithValues: snapshot.instances.map { ($0.id, Duration.milliseconds(10)) })
            try measureAll(balancer, in: snapshot, latencies: latencies)

            for _ in 0..<400 {
                _ = try #require(balancer.pick(from: snapshot))
            }

            let outstanding = try snapshot.instances.map { try #require(balancer.loadEstimate(for: $0.id)).outstanding }
            // Two choices keep the gap between the busiest and idlest instance to
            // a few requests, where uniform random picks leave about 30 here.
            #expect(outstanding.reduce(0, +) == 400)
            #expect(outstanding.max()! - outstanding.min()! <= 3, "outstanding per instance: \(outstanding)")
        }

        @Test func averageDecaysWithTimeConstant() throws {
            let balancer = makeBalancer()
            let snapshot = Fixtures.snapshot(count: 1)
            let first = try #require(balancer.pick(from: snapshot))
            balancer.report(.success(latency: .milliseconds(100)), for: first)

            clock.advance(by: .seconds(10))
            let idle = try #require(balancer.loadEstimate(for: "i0")?.latency)
            // One time constant idle: 100 ms × exp(-1).
            #expect(abs(idle.inMilliseconds - 36.788) < 0.01)

            let second = try #require(balancer.pick(from: snapshot))
            let busy = try #require(balancer.loadEstimate(for: "i0")?.latency)
            #expect(abs(busy.inMilliseconds - 100) < 0.01)

            balancer.report(.success(latency: .milliseconds(200)), for: second)
            let updated = try #require(balancer.loadEstimate(for: "i0")?.latency)
            // 100 ms × exp(-1) + 200 ms × (1 - exp(-1)).
            #expect(abs(updated.inMilliseconds - 163.212) < 0.01)
        }

        @Test func probesSlowInstanceAfterItsEstimateDecays() throws {
            let balancer = makeBalancer()
            let snapshot = Fixtures.snapshot(count: 2)
            let latencies: [String: Duration] = ["i0": .milliseconds(10), "i1": .milliseconds(200)]
            try measureAll(balancer, in: snapshot, latencies: latencies)

            var slowPickTimes: [Duration] = []
            for _ in 0..<5_000 {
                let pick = try #require(balancer.pick(from: snapshot))
                if pick.instance.id == "i1" {
                    slowPickTimes.append(clock.now.offset)
                }
                clock.advance(by: .milliseconds(10))
                balancer.report(.success(latency: latencies[pick.instance.id]!), for: pick)
            }

            // 200 ms × exp(-t / 10 s) falls below 10 ms after about 30 s idle,
            // so in 50 s of clock time the slow instance is probed once.
            #expect(slowPickTimes.count == 1)
            #expect(slowPickTimes.allSatisfy { $0 > .seconds(29) }, "probed at \(slowPickTimes)")
            #expect(slowPickTimes.allSatisfy { $0 < .seconds(32) }, "probed at \(slowPickTimes)")
        }

        @Test func failureCountsAtLeastThePenalty() throws {
            let balancer = makeBalancer()
            let snapshot = Fixtures.snapshot(count: 1)

            let pick = try #require(balancer.pick(from: snapshot))
            balancer.report(.failure(latency: .milliseconds(1)), for: pick)

            #expect(balancer.loadEstimate(for: "i0")?.latency == .seconds(1))
        }

        @Test func cancelReleasesOutstandingWithoutSample() throws {
            let balancer = makeBalancer()
            let snapshot = Fixtures.snapshot(count: 1)

            let pick = try #require(balancer.pick(from: snapshot))
            #expect(balancer.loadEstimate(for: "i0")?.outstanding == 1)
            balancer.report(.cancelled, for: pick)

            #expect(balancer.loadEstimate(for: "i0") == InstanceLoadEstimate(latency: nil, outstanding: 0))
        }

        @Test func newInstanceGetsOneProbeAtATime() throws {
            let balancer = makeBalancer()
            let measured = Fixtures.instance("measured")
            try measureAll(balancer, in: InstanceSnapshot(instances: [measured]), latencies: ["measured": .milliseconds(10)])
            let grown = InstanceSnapshot(instances: [measured, Fixtures.instance("new")])

            let ids = try (0..<6).map { _ in try #require(balancer.pick(from: grown)).instance.id }

            // The new instance scores 0 until its first request is outstanding,
            // then ranks behind every measured instance until it reports.
            #expect(ids == ["new", "measured", "measured", "measured", "measured", "measured"])
            let latency = try #require(balancer.loadEstimate(for: "measured")?.latency)
            #expect(abs(latency.inMilliseconds - 10) < 0.001)
        }

        @Test func reportAfterSnapshotChangeReleasesOutstanding() throws {
            let balancer = makeBalancer()
            let before = InstanceSnapshot(instances: [Fixtures.instance("a"), Fixtures.instance("gone")])
            let pickA = try #require(balancer.pick(from: before))
            let pickGone = try #require(balancer.pick(from: before))
            #expect(Set([pickA.instance.id, pickGone.instance.id]) == ["a", "gone"])
            let (stays, leaves) = pickA.instance.id == "a" ? (pickA, pickGone) : (pickGone, pickA)

            let after = InstanceSnapshot(instances: [Fixtures.instance("a"), Fixtures.instance("b")])
            let pickB = try #require(balancer.pick(from: after))
            #expect(pickB.instance.id == "b")
            #expect(balancer.loadEstimate(for: "a")?.outstanding == 1)
            #expect(balancer.loadEstimate(for: "gone") == nil)

            balancer.report(.success(latency: .milliseconds(5)), for: stays)
            balancer.report(.success(latency: .milliseconds(5)), for: leaves)

            let estimateA = try #require(balancer.loadEstimate(for: "a"))
            #expect(estimateA.outstanding == 0)
            #expect(abs((estimateA.latency?.inMilliseconds ?? 0) - 5) < 0.001)
            #expect(balancer.loadEstimate(for: "b")?.outstanding == 1)
        }

        @Test func skipsInstancesThatAreNotUp() throws {
            let balancer = makeBalancer()
            let snapshot = InstanceSnapshot(instances: [
                Fixtures.instance("up-1"),
                Fixtures.instance("draining", status: .draining),
                Fixtures.instance("down", status: .down),
                Fixtures.instance("up-2"),
            ])

            let counts = Fixtures.countPicks(balancer, from: snapshot, picks: 1_000)

            #expect(Set(counts.keys) == ["up-1", "up-2"])
            #expect(balancer.loadEstimate(for: "draining") == nil)
        }

        @Test func returnsNilWithoutUpInstances() {
            let balancer = makeBalancer()
            let allDown = InstanceSnapshot(instances: [Fixtures.instance("a", status: .down)])

            #expect(balancer.pick(from: .empty) == nil)
            #expect(balancer.pick(from: allDown) == nil)
        }

        @Test func isTheDefaultPolicy() {
            #expect(LoadBalancingPolicy.default == .leastLoaded)
            #expect(LoadBalancingPolicy.default.makeBalancer() is PowerOfTwoChoicesBalancer<SystemRandomNumberGenerator>)
        }

        @Test func rejectsZeroDecayTime() async {
            await #expect(processExitsWith: .failure) {
                _ = PowerOfTwoChoicesConfiguration(decayTime: .zero)
            }
        }
    }
}

extension Duration {
    var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) * 1e-15
    }
}
