import Synchronization

/// Admits at most `limit` requests at once. Each admitted request must call
/// `release()` exactly once when it ends; nothing checks this, and a missed
/// release lowers the limit for good.
///
/// Thread safety: lock-free on one atomic counter.
public final class ConcurrencyLimiter: Sendable {
    public let limit: Int
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let inFlight = Atomic<Int>(0)

    /// - Parameter limit: requests in flight at once; at least 1.
    public init(limit: Int, mode: EnforcementMode = .enforce) {
        precondition(limit >= 1, "invalid concurrency limit \(limit): expected at least 1")
        self.limit = limit
        self.mode = mode
    }

    /// The requests admitted and not yet released.
    public var current: Int { inFlight.load(ordering: .relaxed) }

    public func acquire() -> PolicyDecision {
        let previous = inFlight.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue
        guard previous >= limit else {
            return counters.apply(.admitted, mode: mode)
        }
        let decision = counters.apply(.rejected(retryAfter: .zero), mode: mode)
        if !decision.isAdmitted {
            inFlight.wrappingSubtract(1, ordering: .acquiringAndReleasing)
        }
        return decision
    }

    /// Ends an admitted request.
    public func release() {
        inFlight.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }
}
