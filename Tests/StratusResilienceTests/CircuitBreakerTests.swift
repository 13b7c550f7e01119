import Synchronization
import Testing
import StratusResilience

@Suite struct CircuitBreakerTests {
    private let configuration = CircuitBreakerState.Configuration(consecutiveFailures: 3, openDuration: .seconds(10), probeLimit: 2)

    @Test func opensAfterConsecutiveFailures() {
        var state = CircuitBreakerState(configuration: configuration)
        let decision1 = state.admit(at: 0)
        #expect(decision1 == .admitted)
        let opened2 = state.recordFailure(at: 0)
        #expect(!opened2)
        let opened3 = state.recordFailure(at: 0)
        #expect(!opened3)
        state.recordSuccess()
        let opened4 = state.recordFailure(at: 0)
        #expect(!opened4, "a success resets the count")
        let opened5 = state.recordFailure(at: 0)
        #expect(!opened5)
        let opened6 = state.recordFailure(at: 5)
        #expect(opened6)
        #expect(state.phase == .open(until: 10_000_000_005))
        let decision7 = state.admit(at: 1_000_000_005)
        #expect(decision7 == .rejected(retryAfter: .seconds(9)))
    }

    @Test func halfOpenAdmitsOnlyProbeLimit() {
        var state = CircuitBreakerState(configuration: configuration)
        for _ in 0..<3 {
            state.recordFailure(at: 0)
        }
        let later: UInt64 = 10_000_000_000
        let decision8 = state.admit(at: later)
        #expect(decision8 == .admitted)
        #expect(state.phase == .halfOpen)
        let decision9 = state.admit(at: later)
        #expect(decision9 == .admitted)
        let decision10 = state.admit(at: later)
        #expect(decision10 == .rejected(retryAfter: .zero), "a third probe exceeds the limit of 2")
        state.recordSuccess()
        let decision11 = state.admit(at: later)
        #expect(decision11 == .rejected(retryAfter: .zero), "one probe succeeded, one is in flight")
        state.recordSuccess()
        #expect(state.phase == .closed)
        let decision12 = state.admit(at: later)
        #expect(decision12 == .admitted)
    }

    @Test func probeFailureOpensAgain() {
        var state = CircuitBreakerState(configuration: configuration)
        for _ in 0..<3 {
            state.recordFailure(at: 0)
        }
        let decision13 = state.admit(at: 10_000_000_000)
        #expect(decision13 == .admitted)
        let opened14 = state.recordFailure(at: 10_000_000_000)
        #expect(opened14)
        #expect(state.phase == .open(until: 20_000_000_000))
    }

    @Test func breakerReportsReasonsWhenOpening() {
        let clock = ManualClock()
        let reasons = Mutex<[String]>([])
        let breaker = CircuitBreaker(configuration: configuration, clock: clock.clock) { opened in
            reasons.withLock { $0 = opened }
        }
        for attempt in 0..<3 {
            #expect(breaker.admit().isAdmitted)
            breaker.recordFailure(reason: "connection refused \(attempt)")
        }
        #expect(reasons.withLock { $0 } == ["connection refused 0", "connection refused 1", "connection refused 2"])
        #expect(!breaker.admit().isAdmitted)
        #expect(breaker.counters.rejected == 1)
    }

    @Test func dryRunBreakerAdmitsAndCounts() {
        let clock = ManualClock()
        let breaker = CircuitBreaker(configuration: configuration, mode: .dryRun, clock: clock.clock)
        for _ in 0..<3 {
            _ = breaker.admit()
            breaker.recordFailure(reason: "timeout")
        }
        #expect(breaker.admit().isAdmitted)
        #expect(breaker.counters.wouldReject == 1)
    }
}

@Suite struct AdaptiveThrottleTests {
    @Test func healthyBackendIsNeverThrottled() {
        let clock = ManualClock()
        let throttle = AdaptiveThrottle(clock: clock.clock, random: { 0 })
        for _ in 0..<1_000 {
            #expect(throttle.admit().isAdmitted)
            throttle.record(accepted: true)
        }
        #expect(throttle.rejectionProbability == 0)
    }

    @Test func failingBackendIsThrottledByFormula() {
        let clock = ManualClock()
        let throttle = AdaptiveThrottle(multiplier: 2, clock: clock.clock, random: { 0.999 })
        // 100 requests, 30 accepted: (100 - 2 × 30) / 101.
        for index in 0..<100 {
            _ = throttle.admit()
            throttle.record(accepted: index < 30)
        }
        #expect(abs(throttle.rejectionProbability - 40.0 / 101.0) < 1e-9)
    }

    @Test func oldCountsLeaveWithTheWindow() {
        let clock = ManualClock()
        let throttle = AdaptiveThrottle(window: .seconds(10), clock: clock.clock, random: { 0.5 })
        for _ in 0..<100 {
            _ = throttle.admit()
        }
        #expect(throttle.rejectionProbability > 0.9)
        clock.advance(nanoseconds: 11_000_000_000)
        #expect(throttle.rejectionProbability == 0)
        #expect(throttle.admit().isAdmitted)
    }
}
