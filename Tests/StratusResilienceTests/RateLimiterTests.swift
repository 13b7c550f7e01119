import Synchronization
import Testing
import StratusResilience

@Suite struct RateLimiterTests {
    /// Offers `offered` requests per second, evenly spaced, for `seconds`,
    /// and returns how many the policy admitted.
    private func offer(_ acquire: () -> PolicyDecision, clock: ManualClock, offered: Int, seconds: Int) -> Int {
        var admitted = 0
        let spacing = UInt64(1_000_000_000 / offered)
        for _ in 0..<(offered * seconds) {
            if acquire().isAdmitted { admitted += 1 }
            clock.advance(nanoseconds: spacing)
        }
        return admitted
    }

    @Test(arguments: [(100.0, 10), (1_000.0, 50), (33.3, 1)])
    func tokenBucketAdmitsRateTimesTimePlusBurst(rate: Double, burst: Int) {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: rate, burst: burst, clock: clock.clock)
        let admitted = offer(limiter.acquire, clock: clock, offered: Int(rate * 5), seconds: 10)
        let expected = rate * 10 + Double(burst)
        #expect(abs(Double(admitted) - expected) <= expected * 0.01, "admitted \(admitted), expected \(expected)")
        #expect(limiter.counters.admitted == admitted)
        #expect(limiter.counters.rejected == Int(rate * 5) * 10 - admitted)
    }

    @Test func tokenBucketBurstThenRetryAfter() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: 10, burst: 3, clock: clock.clock)
        for _ in 0..<3 {
            #expect(limiter.acquire() == .admitted)
        }
        #expect(limiter.acquire() == .rejected(retryAfter: .milliseconds(100)))
        clock.advance(nanoseconds: 100_000_000)
        #expect(limiter.acquire() == .admitted)
    }

    @Test func slidingWindowAdmitsLimitPerWindow() {
        let clock = ManualClock()
        let limiter = SlidingWindowLimiter(limit: 200, window: .seconds(1), clock: clock.clock)
        let admitted = offer(limiter.acquire, clock: clock, offered: 1_000, seconds: 10)
        #expect(abs(admitted - 2_000) <= 20, "admitted \(admitted), expected 2000")
    }

    @Test func slidingWindowRejectsBurstOverLimit() {
        let clock = ManualClock()
        let limiter = SlidingWindowLimiter(limit: 5, window: .seconds(1), clock: clock.clock)
        let decisions = (0..<8).map { _ in limiter.acquire().isAdmitted }
        #expect(decisions == [true, true, true, true, true, false, false, false])
        clock.advance(nanoseconds: 2_000_000_000)
        #expect(limiter.acquire().isAdmitted, "two windows later the count is empty")
    }

    @Test func dryRunCountsWithoutRejecting() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: 1, burst: 2, mode: .dryRun, clock: clock.clock)
        let decisions = (0..<5).map { _ in limiter.acquire() }
        #expect(decisions.allSatisfy { $0.isAdmitted })
        #expect(limiter.counters.wouldReject == 3)
        #expect(limiter.counters.rejected == 0)
        #expect(limiter.counters.admitted == 5)
    }

    @Test func concurrencyLimiterHoldsAtLimit() async {
        let limiter = ConcurrencyLimiter(limit: 3)
        let first = (0..<5).map { _ in limiter.acquire().isAdmitted }
        #expect(first == [true, true, true, false, false])
        #expect(limiter.current == 3)
        limiter.release()
        #expect(limiter.acquire().isAdmitted)
        for _ in 0..<3 {
            limiter.release()
        }
        #expect(limiter.current == 0)
        #expect(limiter.counters.rejected == 2)
    }

    @Test func concurrencyLimiterUnderContention() async {
        let limiter = ConcurrencyLimiter(limit: 4)
        let peak = PeakCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<2_000 where limiter.acquire().isAdmitted {
                        peak.record(limiter.current)
                        limiter.release()
                    }
                }
            }
        }
        #expect(limiter.current == 0)
        #expect(peak.value <= 4)
    }
}
