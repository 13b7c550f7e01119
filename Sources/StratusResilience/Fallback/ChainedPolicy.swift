/// Two policies applied one after the other, made by `followed(by:)`.
///
/// An operation must pass `first`, then `second`. When `second` rejects, the
/// permit of `first` is released as `.cancelled`, so a concurrency slot or
/// a breaker probe is not held by an operation that never ran. Permits are
/// released in reverse order, `second` first, with the same outcome.
public struct ChainedPolicy<First: AdmissionPolicy, Second: AdmissionPolicy>: AdmissionPolicy {
    public let first: First
    public let second: Second

    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    public func acquirePermit() -> Result<(First.Permit, Second.Permit), PolicyRejection> {
        let firstPermit: First.Permit
        switch first.acquirePermit() {
        case .success(let permit): firstPermit = permit
        case .failure(let rejection): return .failure(rejection)
        }
        switch second.acquirePermit() {
        case .success(let secondPermit):
            return .success((firstPermit, secondPermit))
        case .failure(let rejection):
            first.releasePermit(firstPermit, outcome: .cancelled)
            return .failure(rejection)
        }
    }

    public func releasePermit(_ permit: (First.Permit, Second.Permit), outcome: OperationOutcome) {
        second.releasePermit(permit.1, outcome: outcome)
        first.releasePermit(permit.0, outcome: outcome)
    }
}

extension AdmissionPolicy {
    /// This policy, then `next`: `limiter.followed(by: breaker)` checks the
    /// rate limit before the breaker.
    public func followed<Next: AdmissionPolicy>(by next: Next) -> ChainedPolicy<Self, Next> {
        ChainedPolicy(self, next)
    }
}
