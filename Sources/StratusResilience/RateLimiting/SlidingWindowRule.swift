import StratusNet

/// The sliding window's parameters; see `SlidingWindowLimiter`.
struct SlidingWindowRule: RateLimitRule {
    struct State: Sendable {
        var start: UInt64
        var current: Int
        var previous: Int
    }

    let limit: Int
    let windowNanoseconds: UInt64

    init(limit: Int, window: Duration) {
        precondition(limit >= 1, "invalid sliding window limit \(limit): expected at least 1")
        let nanoseconds = window.nanoseconds
        precondition(nanoseconds >= 1_000_000, "invalid sliding window \(window): expected at least 1 ms")
        self.limit = limit
        windowNanoseconds = nanoseconds
    }

    func initialState(at now: UInt64) -> State {
        State(start: now, current: 0, previous: 0)
    }

    @inline(__always)
    func acquire(_ state: inout State, at now: UInt64) -> RateLimitOutcome {
        advance(&state, to: now)
        let elapsed = now > state.start ? now - state.start : 0
        // The earlier window's requests still inside the sliding window,
        // rounded down to whole requests. Unrounded, the share never reaches
        // 0 before the window ends, so a steady stream got one request less
        // than the limit per window (9 of 10 at a limit of 10).
        let previousShare = Double(state.previous) * Double(windowNanoseconds - elapsed) / Double(windowNanoseconds)
        var estimate = Int(previousShare) + state.current
        let decision: PolicyDecision
        if estimate < limit {
            state.current += 1
            estimate += 1
            decision = .admitted
        } else {
            decision = .rejected(retryAfter: .nanoseconds(Int64(windowNanoseconds - elapsed)))
        }
        return RateLimitOutcome(
            decision: decision,
            remaining: max(0, limit - estimate),
            resetNanoseconds: windowNanoseconds - elapsed
        )
    }

    /// Moves the windows forward so that `now` falls in the current one.
    @inline(__always)
    private func advance(_ state: inout State, to now: UInt64) {
        guard now >= state.start + windowNanoseconds else { return }
        let passed = (now - state.start) / windowNanoseconds
        state.previous = passed == 1 ? state.current : 0
        state.current = 0
        state.start += passed * windowNanoseconds
    }
}
