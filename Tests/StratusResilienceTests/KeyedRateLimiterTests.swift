import Testing
import StratusResilience

@Suite struct KeyedRateLimiterTests {
    @Test func keysHaveTheirOwnQuota() {
        let clock = ManualClock()
        let limiter = KeyedRateLimiter(.tokenBucket(rate: 1, burst: 2), clock: clock.clock)
        let first = (0..<3).map { _ in limiter.acquire(key: "10.0.0.1").isAdmitted }
        #expect(first == [true, true, false])
        let second = (0..<3).map { _ in limiter.acquire(key: "10.0.0.2").isAdmitted }
        #expect(second == [true, true, false], "another key is not limited by the first")
        #expect(limiter.counters.admitted == 4)
        #expect(limiter.counters.rejected == 2)
    }

    @Test func tableHoldsAtMostMaxKeys() {
        let clock = ManualClock()
        let limiter = KeyedRateLimiter(.slidingWindow(limit: 1, window: .seconds(60)), maxKeys: 100, clock: clock.clock)
        for index in 0..<10_000 {
            #expect(limiter.acquire(key: "client-\(index)").isAdmitted)
        }
        #expect(limiter.keyCount == 100)
    }

    @Test func leastRecentlyUsedKeyIsDropped() {
        let clock = ManualClock()
        let limiter = KeyedRateLimiter(.tokenBucket(rate: 1, burst: 1), maxKeys: 2, clock: clock.clock)
        #expect(limiter.acquire(key: "a").isAdmitted)
        #expect(limiter.acquire(key: "b").isAdmitted)
        #expect(!limiter.acquire(key: "a").isAdmitted, "a is now the most recently used")
        #expect(limiter.acquire(key: "c").isAdmitted, "c takes the place of b")
        #expect(!limiter.acquire(key: "a").isAdmitted, "a was kept, with its quota used up")
        #expect(limiter.acquire(key: "b").isAdmitted, "b was dropped and starts again with a full quota")
    }

    @Test func dryRunAdmitsEveryKey() {
        let clock = ManualClock()
        let limiter = KeyedRateLimiter(.tokenBucket(rate: 1, burst: 1), mode: .dryRun, clock: clock.clock)
        let decisions = (0..<4).map { _ in limiter.acquire(key: "k") }
        #expect(decisions.allSatisfy { $0.isAdmitted })
        #expect(limiter.counters.wouldReject == 3)
    }

    @Test func rejectionCarriesTimeToNextToken() {
        let clock = ManualClock()
        let limiter = KeyedRateLimiter(.tokenBucket(rate: 4, burst: 1), clock: clock.clock)
        #expect(limiter.acquire(key: "k").isAdmitted)
        clock.advance(nanoseconds: 100_000_000)
        #expect(limiter.acquire(key: "k") == .rejected(retryAfter: .milliseconds(150)))
    }
}
