/// A policy that admits or rejects an operation and may learn from how the
/// operation ended: every limiter, breaker, throttle and shedder of this
/// module. `run(_:)`, `withFallback(_:operation:fallback:)` and
/// `followed(by:)` work with any of them.
public protocol AdmissionPolicy: Sendable {
    /// The value an admitted operation hands back when it ends, such as
    /// the start time a load shedder measures latency from.
    associatedtype Permit: Sendable

    /// Decides about one operation. An admitted operation must be ended with
    /// exactly one `releasePermit(_:outcome:)`.
    func acquirePermit() -> Result<Permit, PolicyRejection>

    /// Ends an admitted operation.
    func releasePermit(_ permit: Permit, outcome: OperationOutcome)
}

/// How an admitted operation ended.
public enum OperationOutcome: Sendable, Hashable {
    case success
    /// The operation failed; `reason` is kept by circuit breakers.
    case failure(reason: String)
    /// The operation ended without an outcome, such as when its task was
    /// cancelled: it counts neither as a success nor as a failure.
    case cancelled
}

extension PolicyDecision {
    /// Converts the decision to a permit result, with `reason` for a rejection.
    @inline(__always)
    func permit<Permit>(_ permit: Permit, reason: RejectionReason) -> Result<Permit, PolicyRejection> {
        switch self {
        case .admitted: .success(permit)
        case .rejected(let retryAfter): .failure(PolicyRejection(reason: reason, retryAfter: retryAfter))
        }
    }
}
