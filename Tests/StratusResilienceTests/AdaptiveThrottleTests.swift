import Synchronization
import Testing
import StratusResilience

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

/// The rejection probability max(0, (requests − K × accepts) / (requests + 1))
/// of the SRE book, checked against values worked out by hand.
@Suite struct AdaptiveThrottleFormulaTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let requests: Int
        let accepts: Int
        let multiplier: Double
        let expected: Double

        var testDescription: String { "\(requests) requests, \(accepts) accepted, K = \(multiplier)" }
    }

    static let cases = [
        Case(requests: 0, accepts: 0, multiplier: 2, expected: 0),
        Case(requests: 100, accepts: 100, multiplier: 2, expected: 0),
        Case(requests: 100, accepts: 50, multiplier: 2, expected: 0),
        Case(requests: 100, accepts: 49, multiplier: 2, expected: 2.0 / 101.0),
        Case(requests: 100, accepts: 30, multiplier: 2, expected: 40.0 / 101.0),
        Case(requests: 100, accepts: 0, multiplier: 2, expected: 100.0 / 101.0),
        Case(requests: 10, accepts: 2, multiplier: 1.5, expected: 7.0 / 11.0),
        Case(requests: 1_000, accepts: 100, multiplier: 1, expected: 900.0 / 1_001.0),
        Case(requests: 1_000, accepts: 100, multiplier: 10, expected: 0),
    ]

    @Test(arguments: cases)
    func probabilityMatchesFormula(_ testCase: Case) {
        let clock = ManualClock()
        // Draws of 1 are never below the probability, so every request is admitted.
        let throttle = AdaptiveThrottle(multiplier: testCase.multiplier, clock: clock.clock, random: { 1 })
        for index in 0..<testCase.requests {
            #expect(throttle.admit().isAdmitted)
            throttle.record(accepted: index < testCase.accepts)
        }
        #expect(abs(throttle.rejectionProbability - testCase.expected) < 1e-12)
    }

    @Test(arguments: [(0.39, false), (0.41, true)])
    func drawBelowProbabilityRejects(draw: Double, admitted: Bool) {
        let clock = ManualClock()
        let throttle = AdaptiveThrottle(clock: clock.clock, random: { draw })
        // The probability stays at most 0.39 during these 100 requests, so
        // neither draw rejects any of them.
        for index in 0..<100 {
            #expect(throttle.admit().isAdmitted)
            throttle.record(accepted: index < 30)
        }
        // (100 − 2 × 30) / 101 = 0.396 before this request.
        #expect(throttle.admit().isAdmitted == admitted)
        #expect(throttle.counters.rejected == (admitted ? 0 : 1))
    }

    @Test func healthyBackendDrawsNoRandomNumber() {
        let clock = ManualClock()
        let draws = Atomic<Int>(0)
        let throttle = AdaptiveThrottle(clock: clock.clock) {
            draws.add(1, ordering: .relaxed)
            return 0
        }
        for _ in 0..<100 {
            #expect(throttle.admit().isAdmitted)
            throttle.record(accepted: true)
        }
        #expect(draws.load(ordering: .relaxed) == 0)
    }
}
