import Testing
import StratusResilience

@Suite struct RetryBudgetTests {
    /// Sends `perSecond` requests a second, evenly spaced, for `seconds`;
    /// every request fails and requests one retry. Returns the admitted retries.
    private func failingStream(_ budget: RetryBudget, clock: ManualClock, perSecond: Int, seconds: Int) -> Int {
        var admitted = 0
        for _ in 0..<(perSecond * seconds) {
            budget.recordRequest()
            if budget.acquireRetry().isAdmitted {
                admitted += 1
            }
            clock.advance(nanoseconds: 1_000_000_000 / UInt64(perSecond))
        }
        return admitted
    }

    @Test func retriesStayUnderRatioPlusReserveInOneWindow() {
        let clock = ManualClock()
        let budget = RetryBudget(configuration: .init(ratio: 0.1, minRetriesPerSecond: 1, window: .seconds(10)), clock: clock.clock)
        let retries = failingStream(budget, clock: clock, perSecond: 100, seconds: 10)
        // 1,000 requests deposit 100 tokens and the reserve is 10.
        #expect(retries <= 110)
        #expect(retries >= 100, "the budget should admit about a tenth of the requests as retries")
        #expect(budget.counters.admitted == retries)
        #expect(budget.counters.rejected == 1_000 - retries)
    }

    @Test func retriesStayUnderRatioOverManyWindows() {
        let clock = ManualClock()
        let budget = RetryBudget(configuration: .init(ratio: 0.1, minRetriesPerSecond: 1, window: .seconds(10)), clock: clock.clock)
        let retries = failingStream(budget, clock: clock, perSecond: 100, seconds: 60)
        // Six windows, each with 1,000 requests and a reserve of 10.
        #expect(retries <= 6 * 110)
        #expect(retries >= 600)
    }

    @Test func reserveAloneAdmitsFloorPerWindow() {
        let clock = ManualClock()
        let budget = RetryBudget(configuration: .init(ratio: 0.1, minRetriesPerSecond: 2, window: .seconds(5)), clock: clock.clock)
        for retry in 1...10 {
            #expect(budget.acquireRetry().isAdmitted, "retry \(retry) of a reserve of 10")
        }
        #expect(budget.acquireRetry() == .rejected(retryAfter: .zero))

        clock.advance(nanoseconds: 5_000_000_000)
        #expect(budget.balance == 10, "withdrawals expire after the window")
        #expect(budget.acquireRetry().isAdmitted)
    }

    @Test func zeroRatioAndReserveAdmitNothing() {
        let clock = ManualClock()
        let budget = RetryBudget(configuration: .init(ratio: 0, minRetriesPerSecond: 0), clock: clock.clock)
        for _ in 0..<100 {
            budget.recordRequest()
        }
        #expect(!budget.acquireRetry().isAdmitted)
        #expect(budget.balance == 0)
    }

    @Test func depositsExpireAfterWindow() {
        let clock = ManualClock()
        let budget = RetryBudget(configuration: .init(ratio: 0.5, minRetriesPerSecond: 0, window: .seconds(10)), clock: clock.clock)
        for _ in 0..<10 {
            budget.recordRequest()
        }
        #expect(budget.balance == 5)
        clock.advance(nanoseconds: 9_000_000_000)
        #expect(budget.balance == 5, "still inside the window")
        clock.advance(nanoseconds: 1_000_000_000)
        #expect(budget.balance == 0)
        #expect(!budget.acquireRetry().isAdmitted)
    }

    @Test func dryRunAdmitsAndCountsWouldReject() {
        let clock = ManualClock()
        let budget = RetryBudget(configuration: .init(ratio: 0.1, minRetriesPerSecond: 0), mode: .dryRun, clock: clock.clock)
        for _ in 0..<10 {
            budget.recordRequest()
        }
        for _ in 0..<3 {
            #expect(budget.acquireRetry().isAdmitted)
        }
        #expect(budget.counters.admitted == 3)
        #expect(budget.counters.wouldReject == 2)
        #expect(budget.counters.rejected == 0)
        #expect(budget.balance == -2)
    }
}
