/// The kind of policy that rejected a request: a stable code for logs,
/// metrics and the `reason` of HTTP error bodies.
public enum RejectionReason: String, Sendable, Hashable, CaseIterable {
    /// A rate limiter's quota is used up (HTTP 429).
    case rateLimited = "rate_limited"
    /// A concurrency limiter is at its limit (HTTP 503).
    case concurrencyLimited = "concurrency_limited"
    /// A circuit breaker is open, or half-open with its probes taken (HTTP 503).
    case circuitOpen = "circuit_open"
    /// Adaptive throttling rejected the request locally.
    case throttled
    /// A load shedder found the server overloaded (HTTP 503).
    case overloaded
}

/// A request a policy rejected, thrown by `AdmissionPolicy.run(_:)` and
/// handed to fallbacks.
public struct PolicyRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: RejectionReason
    /// When the caller may retry; zero when the policy cannot tell.
    public var retryAfter: Duration

    public init(reason: RejectionReason, retryAfter: Duration) {
        self.reason = reason
        self.retryAfter = retryAfter
    }

    /// `retryAfter` in whole seconds for `Retry-After`: rounded up, and at
    /// least 1, so that clients never retry at once.
    public var retryAfterSeconds: Int {
        let (seconds, attoseconds) = retryAfter.components
        let rounded = attoseconds > 0 ? seconds + 1 : seconds
        return Int(max(1, rounded))
    }

    public var description: String {
        "request rejected: \(reason.rawValue), retry after \(retryAfter)"
    }
}
