import Testing
import StratusResilience

/// Every transition of `CircuitBreakerState` as a row: a start state, one
/// event, the phase after it and what the event returned.
@Suite struct CircuitBreakerTransitionTests {
    /// Opens after 3 failures in a row, or at 50 % failures of at least 20
    /// requests over 10 s. It stays open 10 s and admits 2 probes.
    static let configuration = CircuitBreakerState.Configuration(
        consecutiveFailures: 3,
        failureRate: .init(threshold: 0.5, minimumRequests: 20, window: .seconds(10), buckets: 10),
        openDuration: .seconds(10),
        probeLimit: 2
    )

    static let second: UInt64 = 1_000_000_000
    /// The time every start state ends at.
    static let start: UInt64 = 100 * second

    enum Start: String, Sendable {
        case closed = "closed"
        case closedOneFailure = "closed, 1 failure"
        case closedTwoFailures = "closed, 2 failures in a row"
        case closedNineteenAlternating = "closed, 9 failures in 19 requests, never 2 in a row"
        case closedNineAlternating = "closed, 4 failures in 9 requests"
        case closedOldFailures = "closed, 10 failures in 20 requests 11 s ago"
        case open = "open since start"
        case halfOpenOneProbe = "half-open, 1 probe in flight"
        case halfOpenTwoProbes = "half-open, 2 probes in flight"
        case halfOpenOneSucceeded = "half-open, 1 probe succeeded, 1 in flight"
        case halfOpenOneCancelled = "half-open, 2 probes admitted, 1 cancelled"

        /// Builds the state by feeding it events, ending at `start`.
        func make() -> CircuitBreakerState {
            var state = CircuitBreakerState(configuration: configuration)
            switch self {
            case .closed:
                break
            case .closedOneFailure:
                state.recordFailure(at: start)
            case .closedTwoFailures:
                state.recordFailure(at: start)
                state.recordFailure(at: start)
            case .closedNineteenAlternating:
                alternate(&state, count: 19, at: start)
            case .closedNineAlternating:
                alternate(&state, count: 9, at: start)
            case .closedOldFailures:
                alternate(&state, count: 20, at: start - 11 * second, lastSucceeds: true)
            case .open:
                openAt(&state, start)
            case .halfOpenOneProbe:
                openAt(&state, start - 10 * second)
                _ = state.admit(at: start)
            case .halfOpenTwoProbes:
                openAt(&state, start - 10 * second)
                _ = state.admit(at: start)
                _ = state.admit(at: start)
            case .halfOpenOneSucceeded:
                openAt(&state, start - 10 * second)
                _ = state.admit(at: start)
                _ = state.admit(at: start)
                state.recordSuccess(at: start)
            case .halfOpenOneCancelled:
                openAt(&state, start - 10 * second)
                _ = state.admit(at: start)
                _ = state.admit(at: start)
                state.recordCancelled()
            }
            return state
        }

        /// Records successes and failures in turn, a success first, so no
        /// two failures are in a row.
        private func alternate(_ state: inout CircuitBreakerState, count: Int, at time: UInt64, lastSucceeds: Bool = false) {
            for index in 0..<count {
                let succeeds = index.isMultiple(of: 2) != (lastSucceeds && count.isMultiple(of: 2))
                if succeeds {
                    state.recordSuccess(at: time)
                } else {
                    state.recordFailure(at: time)
                }
            }
        }

        private func openAt(_ state: inout CircuitBreakerState, _ time: UInt64) {
            for _ in 0..<3 {
                state.recordFailure(at: time)
            }
        }
    }

    enum Event: Sendable, CustomStringConvertible {
        case admit(after: UInt64)
        case success
        case failure
        case cancel

        var description: String {
            switch self {
            case .admit(let after): "admit \(Double(after) / 1e9) s later"
            case .success: "success"
            case .failure: "failure"
            case .cancel: "cancel"
            }
        }
    }

    enum Returned: Sendable, Equatable {
        case decision(PolicyDecision)
        case opened(CircuitBreakerState.OpeningCause?)
        case nothing
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let start: Start
        let event: Event
        let phase: CircuitBreakerState.Phase
        let returned: Returned

        var testDescription: String { "\(start.rawValue) + \(event)" }
    }

    static let reopened = CircuitBreakerState.Phase.open(until: start + 10 * second)

    static let rows: [Row] = [
        Row(start: .closed, event: .success, phase: .closed, returned: .nothing),
        Row(start: .closed, event: .admit(after: 0), phase: .closed, returned: .decision(.admitted)),
        Row(start: .closed, event: .cancel, phase: .closed, returned: .nothing),
        Row(start: .closedOneFailure, event: .failure, phase: .closed, returned: .opened(nil)),
        Row(start: .closedTwoFailures, event: .success, phase: .closed, returned: .nothing),
        Row(start: .closedTwoFailures, event: .failure, phase: reopened, returned: .opened(.consecutiveFailures(count: 3))),
        Row(start: .closedNineteenAlternating, event: .failure, phase: reopened, returned: .opened(.failureRate(failures: 10, requests: 20))),
        Row(start: .closedNineAlternating, event: .failure, phase: .closed, returned: .opened(nil)),
        Row(start: .closedOldFailures, event: .failure, phase: .closed, returned: .opened(nil)),
        Row(start: .open, event: .admit(after: 4 * second), phase: reopened, returned: .decision(.rejected(retryAfter: .seconds(6)))),
        Row(start: .open, event: .admit(after: 10 * second), phase: .halfOpen, returned: .decision(.admitted)),
        Row(start: .open, event: .success, phase: reopened, returned: .nothing),
        Row(start: .open, event: .failure, phase: reopened, returned: .opened(nil)),
        Row(start: .halfOpenOneProbe, event: .admit(after: 0), phase: .halfOpen, returned: .decision(.admitted)),
        Row(start: .halfOpenTwoProbes, event: .admit(after: 0), phase: .halfOpen, returned: .decision(.rejected(retryAfter: .zero))),
        Row(start: .halfOpenOneSucceeded, event: .admit(after: 0), phase: .halfOpen, returned: .decision(.rejected(retryAfter: .zero))),
        Row(start: .halfOpenOneProbe, event: .success, phase: .halfOpen, returned: .nothing),
        Row(start: .halfOpenOneSucceeded, event: .success, phase: .closed, returned: .nothing),
        Row(start: .halfOpenOneProbe, event: .failure, phase: reopened, returned: .opened(.probeFailed)),
        Row(start: .halfOpenTwoProbes, event: .cancel, phase: .halfOpen, returned: .nothing),
        Row(start: .halfOpenOneCancelled, event: .admit(after: 0), phase: .halfOpen, returned: .decision(.admitted)),
        Row(start: .halfOpenTwoProbes, event: .admit(after: 10 * second - 1), phase: .halfOpen, returned: .decision(.rejected(retryAfter: .zero))),
        Row(start: .halfOpenTwoProbes, event: .admit(after: 10 * second), phase: .halfOpen, returned: .decision(.admitted)),
    ]

    @Test(arguments: rows)
    func transition(_ row: Row) {
        var state = row.start.make()
        let returned = apply(row.event, to: &state)
        #expect(state.phase == row.phase)
        #expect(returned == row.returned)
    }

    private func apply(_ event: Event, to state: inout CircuitBreakerState) -> Returned {
        switch event {
        case .admit(let after):
            return .decision(state.admit(at: Self.start + after))
        case .success:
            state.recordSuccess(at: Self.start)
            return .nothing
        case .failure:
            return .opened(state.recordFailure(at: Self.start))
        case .cancel:
            state.recordCancelled()
            return .nothing
        }
    }

    @Test func closingStartsAFreshFailureWindow() {
        var state = Start.halfOpenOneSucceeded.make()
        state.recordSuccess(at: Self.start)
        #expect(state.phase == .closed)
        for _ in 0..<2 {
            state.recordFailure(at: Self.start)
        }
        #expect(state.phase == .closed, "failures before the breaker opened no longer count")
    }

    @Test func rateOnlyBreakerIgnoresFailuresInARow() {
        var state = CircuitBreakerState(configuration: .init(consecutiveFailures: nil, failureRate: .init(minimumRequests: 20)))
        for _ in 0..<19 {
            state.recordFailure(at: Self.start)
        }
        #expect(state.phase == .closed, "19 requests are below the minimum of 20")
        let cause = state.recordFailure(at: Self.start)
        #expect(cause == .failureRate(failures: 20, requests: 20))
    }
}
