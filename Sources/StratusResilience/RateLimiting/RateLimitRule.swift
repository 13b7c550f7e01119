/// A rate-limit algorithm split into its fixed parameters (the rule) and
/// the per-caller counts (the state), so that one rule serves one limiter
/// or a table of keyed states.
protocol RateLimitRule: Sendable {
    associatedtype State: Sendable

    func initialState(at now: UInt64) -> State
    /// Decides about one request at `now` and updates `state`.
    func acquire(_ state: inout State, at now: UInt64) -> RateLimitOutcome
}

/// A rate limiter's decision with the quota it leaves, for the
/// `RateLimit-*` response fields.
struct RateLimitOutcome: Sendable {
    var decision: PolicyDecision
    /// The requests the caller may still make now.
    var remaining: Int
    /// Nanoseconds until the whole quota is available again.
    var resetNanoseconds: UInt64
}
