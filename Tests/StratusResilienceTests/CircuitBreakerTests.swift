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
        #expect(opened2 == nil)
        let opened3 = state.recordFailure(at: 0)
        #expect(opened3 == nil)
        state.recordSuccess(at: 0)
        let opened4 = state.recordFailure(at: 0)
        #expect(opened4 == nil, "a success resets the count")
        let opened5 = state.recordFailure(at: 0)
        #expect(opened5 == nil)
        let opened6 = state.recordFailure(at: 5)
        #expect(opened6 != nil)
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
        state.recordSuccess(at: later)
        let decision11 = state.admit(at: later)
        #expect(decision11 == .rejected(retryAfter: .zero), "one probe succeeded, one is in flight")
        state.recordSuccess(at: later)
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
        #expect(opened14 != nil)
        #expect(state.phase == .open(until: 20_000_000_000))
    }

    @Test func breakerReportsReasonsWhenOpening() {
        let clock = ManualClock()
        let openings = Mutex<[CircuitBreaker.Opening]>([])
        let breaker = CircuitBreaker(configuration: configuration, clock: clock.clock) { opening in
            openings.withLock { $0.append(opening) }
        }
        for attempt in 0..<3 {
            #expect(breaker.admit().isAdmitted)
            breaker.recordFailure(reason: "connection refused \(attempt)")
        }
        let opened = openings.withLock { $0 }
        #expect(opened.count == 1)
        #expect(opened.first?.cause == .consecutiveFailures(count: 3))
        #expect(opened.first?.recentFailures == ["connection refused 0", "connection refused 1", "connection refused 2"])
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

@Suite struct CircuitBreakerWrapperTests {
    @Test func cancelledProbeFreesItsSlot() {
        let clock = ManualClock()
        let breaker = CircuitBreaker(configuration: .init(consecutiveFailures: 1, openDuration: .seconds(5), probeLimit: 1), clock: clock.clock)
        breaker.recordFailure(reason: "reset by peer")
        clock.advance(nanoseconds: 5_000_000_000)
        #expect(breaker.admit().isAdmitted)
        #expect(!breaker.admit().isAdmitted, "one probe at a time")
        breaker.recordCancelled()
        #expect(breaker.admit().isAdmitted)
        breaker.recordSuccess()
        #expect(breaker.phase == .closed)
    }

    @Test func failureRateOpeningReportsCause() {
        let clock = ManualClock()
        let opening = Mutex<CircuitBreaker.Opening?>(nil)
        let configuration = CircuitBreakerState.Configuration(consecutiveFailures: nil, failureRate: .init(threshold: 0.5, minimumRequests: 4))
        let breaker = CircuitBreaker(configuration: configuration, clock: clock.clock) { opened in
            opening.withLock { $0 = opened }
        }
        breaker.recordSuccess()
        breaker.recordFailure(reason: "503")
        breaker.recordSuccess()
        #expect(breaker.phase == .closed)
        breaker.recordFailure(reason: "timeout")
        #expect(opening.withLock { $0?.cause } == .failureRate(failures: 2, requests: 4))
        #expect(opening.withLock { $0?.recentFailures } == ["503", "timeout"])
    }

    @Test func keepsOnlyLatestReasons() {
        let breaker = CircuitBreaker(configuration: .init(consecutiveFailures: 100))
        for index in 0..<8 {
            breaker.recordFailure(reason: "failure \(index)")
        }
        #expect(breaker.recentFailures == (3..<8).map { "failure \($0)" })
    }
}
