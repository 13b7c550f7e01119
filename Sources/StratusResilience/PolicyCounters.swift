import Synchronization

/// The decisions of one policy: how many requests it admitted, rejected,
/// and, in dry-run mode, would have rejected but admitted.
public final class PolicyCounters: Sendable {
    private let admittedCount = Atomic<Int>(0)
    private let rejectedCount = Atomic<Int>(0)
    private let wouldRejectCount = Atomic<Int>(0)

    public init() {}

    public var admitted: Int { admittedCount.load(ordering: .relaxed) }
    public var rejected: Int { rejectedCount.load(ordering: .relaxed) }
    /// Requests a dry-run policy admitted although it would have rejected them.
    public var wouldReject: Int { wouldRejectCount.load(ordering: .relaxed) }

    /// Counts `decision` and returns what the caller must do under `mode`.
    @inline(__always)
    func apply(_ decision: PolicyDecision, mode: EnforcementMode) -> PolicyDecision {
        switch (decision, mode) {
        case (.admitted, _):
            admittedCount.add(1, ordering: .relaxed)
            return decision
        case (.rejected, .enforce):
            rejectedCount.add(1, ordering: .relaxed)
            return decision
        case (.rejected, .dryRun):
            wouldRejectCount.add(1, ordering: .relaxed)
            admittedCount.add(1, ordering: .relaxed)
            return .admitted
        }
    }
}
