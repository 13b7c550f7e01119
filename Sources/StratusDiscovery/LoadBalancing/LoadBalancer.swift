/// A policy that picks one instance of a service for each request.
///
/// Contract for every implementation in this module:
/// - Thread safety: `pick` and `report` may be called concurrently from any
///   number of tasks and threads. Shared state is behind a `Mutex` or an
///   `Atomic`, and no call suspends.
/// - Candidates: only instances with status UP (`snapshot.upInstances`) are
///   picked. `pick` returns nil when the snapshot has no UP instance, and
///   only then.
/// - Snapshot changes: a balancer precomputes what it needs from a snapshot
///   the first time it receives that snapshot's `version`, and reuses it for
///   every later pick from the same version. A pick from another version
///   rebuilds that state, and counters such as a round-robin position or
///   latency statistics carry over where the balancer documents it.
/// - Allocation: a pick and its report, from a snapshot the balancer has
///   already received, allocate no memory in the balancers of this module.
///   NOTE: checked once by counting `malloc` calls over 10,000 picks of each
///   balancer (debug build, Linux). No test in the suite repeats the check.
/// - Outcome reports: after each non-nil pick, call `report(_:for:)` exactly
///   once, when the request ends, even if the snapshot has changed since.
///   Balancers that track load (`PowerOfTwoChoicesBalancer`) count a request
///   as outstanding from pick to report, so a missing report makes the
///   instance look busy for good. Nothing detects a second report for the
///   same pick, which releases the count of another request to that
///   instance. Balancers that track nothing ignore reports.
public protocol LoadBalancer: Sendable {
    /// Picks an instance from the UP instances of `snapshot`, or returns nil
    /// when there is none.
    ///
    /// - Parameter hashKey: a key for sticky routing, such as a user or
    ///   session id. Consistent-hashing balancers send equal keys to the same
    ///   instance while the candidates are unchanged. Other balancers ignore
    ///   it. An empty key is a valid key.
    func pick(from snapshot: InstanceSnapshot, hashKey: String?) -> LoadBalancerPick?

    /// Records how the request sent to `pick.instance` ended.
    func report(_ outcome: PickOutcome, for pick: LoadBalancerPick)
}

extension LoadBalancer {
    /// Picks an instance without a hash key.
    public func pick(from snapshot: InstanceSnapshot) -> LoadBalancerPick? {
        pick(from: snapshot, hashKey: nil)
    }

    /// Ignores the outcome: the default for balancers that track no load.
    public func report(_ outcome: PickOutcome, for pick: LoadBalancerPick) {}
}
