/// A policy's decision about one request.
public enum PolicyDecision: Sendable, Hashable {
    case admitted
    /// Rejected; the caller may retry after `retryAfter` (zero when the
    /// policy cannot tell, such as a concurrency limit).
    case rejected(retryAfter: Duration)

    public var isAdmitted: Bool {
        if case .admitted = self { return true }
        return false
    }
}

/// The way a policy applies its decisions.
public enum EnforcementMode: Sendable, Hashable {
    /// Rejects what the policy rejects.
    case enforce
    /// Admits everything and only counts what the policy would have
    /// rejected, so operators can see a policy's effect before enabling it.
    case dryRun
}
