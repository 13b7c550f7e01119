/// The decisions of one policy: how many requests it admitted, rejected,
/// and, in dry-run mode, would have rejected but admitted.
///
/// Every decision adds to a counter, so the counts are striped by CPU
/// (`StripedCounters`), and a read concurrent with decisions may miss the
/// latest of them.
public final class PolicyCounters: Sendable {
    private static let admittedIndex = 0
    private static let rejectedIndex = 1
    private static let wouldRejectIndex = 2

    private let counters = StripedCounters(count: 3)

    public init() {}

    public var admitted: Int { counters.value(Self.admittedIndex) }
    public var rejected: Int { counters.value(Self.rejectedIndex) }
    /// Requests a dry-run policy admitted although it would have rejected them.
    public var wouldReject: Int { counters.value(Self.wouldRejectIndex) }

    /// Counts `decision` and returns what the caller must do under `mode`.
    @inline(__always)
    func apply(_ decision: PolicyDecision, mode: EnforcementMode) -> PolicyDecision {
        switch (decision, mode) {
        case (.admitted, _):
            counters.add(1, to: Self.admittedIndex)
            return decision
        case (.rejected, .enforce):
            counters.add(1, to: Self.rejectedIndex)
            return decision
        case (.rejected, .dryRun):
            counters.add(1, to: Self.wouldRejectIndex)
            counters.add(1, to: Self.admittedIndex)
            return .admitted
        }
    }
}
