import StratusControlPlane
@testable import StratusGatewayPolicies
import StratusLog
import StratusResilience
import StratusStore
import Testing

/// Two limiter replicas over one real control plane, each with its own
/// store client, driven by one manual wall clock.
@Suite struct ClusterRateLimiterTests {
    /// Runs `windows` windows of `stepMilliseconds` steps; at each step
    /// replica A sends `demandA(step)` requests and replica B
    /// `demandB(step)`. Returns the admitted counts and the limiters.
    func simulate(
        rate: Double,
        windows: Int,
        stepMilliseconds: Int = 2,
        prefetch: Bool = true,
        demandA: (Int) -> Int,
        demandB: (Int) -> Int
    ) async throws -> (admitted: Int, a: ClusterRateLimiter, b: ClusterRateLimiter) {
        try await withControlPlane { fixture in
            let clocks = ManualClocks()
            // The clock starts on a window boundary. Leases get a long real
            // time limit, so a busy machine does not degrade the replicas.
            let configuration = ClusterRateLimiter.Configuration(
                name: "test-\(UInt32.random(in: 0...UInt32.max))", rate: rate, leaseTimeout: .seconds(30), prefetch: prefetch
            )
            let storeA = try fixture.makeStore()
            let storeB = try fixture.makeStore()
            let a = ClusterRateLimiter(configuration: configuration, store: storeA, clock: clocks.wall, logger: quietLogger)
            let b = ClusterRateLimiter(configuration: configuration, store: storeB, clock: clocks.wall, logger: quietLogger)
            var admitted = 0
            let steps = windows * 1000 / stepMilliseconds
            for step in 0..<steps {
                for _ in 0..<demandA(step) where await a.acquire().isAdmitted {
                    admitted += 1
                }
                for _ in 0..<demandB(step) where await b.acquire().isAdmitted {
                    admitted += 1
                }
                clocks.advance(by: .milliseconds(stepMilliseconds))
            }
            await storeA.close()
            await storeB.close()
            return (admitted, a, b)
        }
    }

    @Test func twoReplicasUnderOverloadAdmitTheRate() async throws {
        // 500/s offered to each replica against 200/s for the cluster.
        let (admitted, a, b) = try await simulate(rate: 200, windows: 10, demandA: { _ in 1 }, demandB: { _ in 1 })
        let expected = 200 * 10
        #expect(admitted <= expected, "the store never grants more than a window's tokens")
        #expect(Double(admitted) >= Double(expected) * 0.98, "admitted \(admitted) of \(expected)")
        let transactions = a.statistics.transactions + b.statistics.transactions
        print("cluster limiter, even overload: admitted \(admitted) of \(expected), \(transactions) transactions in 10 windows")
        #expect(transactions < 600, "about 20 transactions per replica per window at most")
    }

    @Test func unevenDemandStillAdmitsTheRate() async throws {
        // A offers 1,500/s; B offers 250/s in bursts of the first half of
        // each window only.
        let (admitted, a, b) = try await simulate(
            rate: 300, windows: 10,
            demandA: { _ in 3 },
            demandB: { step in step % 500 < 250 ? 1 : 0 }
        )
        let expected = 300 * 10
        #expect(admitted <= expected)
        #expect(Double(admitted) >= Double(expected) * 0.98, "admitted \(admitted) of \(expected)")
        #expect(b.statistics.admitted > 0, "the smaller replica gets tokens too")
        print("cluster limiter, uneven demand: admitted \(admitted) of \(expected) (A \(a.statistics.admitted), B \(b.statistics.admitted))")
    }

    @Test func demandBelowTheRateIsAllAdmitted() async throws {
        // 100/s in total against 200/s.
        let (admitted, _, _) = try await simulate(rate: 200, windows: 5, demandA: { $0 % 10 == 0 ? 1 : 0 }, demandB: { $0 % 10 == 5 ? 1 : 0 })
        #expect(admitted == 500)
    }

    @Test func withoutPrefetchTheRateIsExactUnderOverload() async throws {
        let (admitted, _, _) = try await simulate(rate: 200, windows: 5, prefetch: false, demandA: { _ in 1 }, demandB: { _ in 1 })
        #expect(admitted == 1000)
    }

    @Test func fractionalRateIsSpreadOverWindows() async throws {
        // 2.5/s: windows grant 2, 3, 2, 3 ... tokens.
        let (admitted, _, _) = try await simulate(rate: 2.5, windows: 4, stepMilliseconds: 10, demandA: { _ in 1 }, demandB: { _ in 1 })
        #expect(admitted == 10)
    }

    @Test func unreachableStoreFallsBackToLocalShareAndRecovers() async throws {
        try await withControlPlane { fixture in
            let clocks = ManualClocks()
            let logs = CapturedLogs()
            let store = SwitchableStore(try fixture.makeStore())
            defer { Task { await store.close() } }
            let configuration = ClusterRateLimiter.Configuration(name: "degrade", rate: 100, replicas: 4, leaseTimeout: .seconds(30), retryInterval: .seconds(1))
            let limiter = ClusterRateLimiter(configuration: configuration, store: store, clock: clocks.wall, logger: logs.logger())
            store.isFailing = true

            // The first request waits for the failed lease and is decided
            // locally; 100 / 4 = 25 requests fit in each window.
            var admitted = 0
            for _ in 0..<100 where await limiter.acquire().isAdmitted {
                admitted += 1
            }
            #expect(admitted == 25)
            #expect(limiter.statistics.isDegraded)
            let warnings = logs.all.filter { $0.level == .warning }
            #expect(warnings.count == 1, "the degradation is logged once")
            #expect(warnings.first?.metadata["ratelimit.name"] == "degrade")

            // The next window, still unreachable: another local share, and
            // still one warning.
            clocks.advance(by: .seconds(1))
            admitted = 0
            for _ in 0..<100 where await limiter.acquire().isAdmitted {
                admitted += 1
            }
            #expect(admitted == 25)
            try await waitUntil("the background probe failed") { limiter.statistics.failedLeases >= 2 }
            #expect(logs.all.filter { $0.level == .warning }.count == 1)

            // The store is back: the next probe succeeds and the cluster
            // quota applies again.
            store.isFailing = false
            clocks.advance(by: .seconds(1))
            _ = await limiter.acquire()
            try await waitUntil("the limiter recovered") { !limiter.statistics.isDegraded }
            #expect(logs.all.contains { $0.level == .info && $0.message.contains("reachable again") })
            clocks.advance(by: .seconds(1))
            admitted = 0
            for _ in 0..<200 where await limiter.acquire().isAdmitted {
                admitted += 1
            }
            #expect(admitted == 100, "the whole cluster rate, as this is the only replica")
        }
    }

    @Test func rejectionRetryAfterIsTheRestOfTheWindow() async throws {
        try await withControlPlane { fixture in
            let clocks = ManualClocks()
            let store = try fixture.makeStore()
            let limiter = ClusterRateLimiter(configuration: .init(name: "retry", rate: 2, leaseTimeout: .seconds(30), prefetch: false), store: store, clock: clocks.wall, logger: quietLogger)
            #expect(await limiter.acquire().isAdmitted)
            #expect(await limiter.acquire().isAdmitted)
            clocks.advance(by: .milliseconds(300))
            #expect(await limiter.acquire() == .rejected(retryAfter: .milliseconds(700)))
            await store.close()
        }
    }

    @Test func counterValueIsWindowAndCount() async throws {
        try await withControlPlane { fixture in
            let clocks = ManualClocks()
            let store = try fixture.makeStore()
            let limiter = ClusterRateLimiter(configuration: .init(name: "value", rate: 10, leaseTimeout: .seconds(30), prefetch: false), store: store, clock: clocks.wall, logger: quietLogger)
            _ = await limiter.acquire()
            let value = try await store.get("/stratus/gateway/ratelimit/value")?.valueString
            #expect(value == "1800000000 1", "window 1,800,000,000 (1 s windows), one token leased")
            await store.close()
        }
    }
}
