/// The token bucket's parameters; see `TokenBucketLimiter`.
struct TokenBucketRule: RateLimitRule {
    struct State: Sendable {
        /// Tokens in units of 1 / 1,000,000,000, so that refills at any
        /// rate stay exact in integer arithmetic.
        var nanoTokens: Int64
        var updated: UInt64
    }

    static let nanoTokensPerToken: Int64 = 1_000_000_000

    let rate: Double
    let burst: Int
    /// Nanoseconds of refill time per token.
    private let nanosecondsPerToken: Double
    private let capacity: Int64

    init(rate: Double, burst: Int) {
        precondition(rate > 0 && rate.isFinite, "invalid token bucket rate \(rate): expected a positive number of tokens per second")
        precondition(burst >= 1, "invalid token bucket burst \(burst): expected at least 1")
        self.rate = rate
        self.burst = burst
        nanosecondsPerToken = 1e9 / rate
        capacity = Int64(burst) * Self.nanoTokensPerToken
    }

    /// Returns a full bucket.
    func initialState(at now: UInt64) -> State {
        State(nanoTokens: capacity, updated: now)
    }

    /// Takes a token when one is there; otherwise rejects with the time
    /// until the next token.
    @inline(__always)
    func acquire(_ state: inout State, at now: UInt64) -> RateLimitOutcome {
        refill(&state, now: now)
        let decision: PolicyDecision
        if state.nanoTokens >= Self.nanoTokensPerToken {
            state.nanoTokens -= Self.nanoTokensPerToken
            decision = .admitted
        } else {
            decision = .rejected(retryAfter: .nanoseconds(nanoseconds(toRefill: Self.nanoTokensPerToken - state.nanoTokens)))
        }
        return RateLimitOutcome(
            decision: decision,
            remaining: Int(state.nanoTokens / Self.nanoTokensPerToken),
            resetNanoseconds: UInt64(nanoseconds(toRefill: capacity - state.nanoTokens))
        )
    }

    @inline(__always)
    private func refill(_ state: inout State, now: UInt64) {
        guard now > state.updated else { return }
        let added = Int64(Double(now - state.updated) * rate)
        // Below one nano-token the time is kept, so slow rates still add up.
        guard added > 0 else { return }
        state.nanoTokens = min(capacity, state.nanoTokens + added)
        state.updated = now
    }

    @inline(__always)
    private func nanoseconds(toRefill nanoTokens: Int64) -> Int64 {
        Int64((Double(nanoTokens) / Double(Self.nanoTokensPerToken) * nanosecondsPerToken).rounded(.up))
    }
}
