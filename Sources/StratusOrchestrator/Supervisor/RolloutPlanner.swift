/// Decides which replicas of one service to start and which to remove, the
/// way the Deployment controller scales its ReplicaSets.
///
/// Replicas of the current template are new, the others old. Replicas
/// being removed (draining or terminating) no longer count. Without old
/// replicas the planner only scales to the desired count. During a rollout
/// it keeps at most `desired + maxSurge` replicas and at least
/// `desired - maxUnavailable` available ones: new replicas start while
/// there is room under the surge, and an old replica is removed only while
/// enough others stay available. With `maxUnavailable` 0, an old replica is
/// therefore removed only after a new one became available.
public enum RolloutPlanner {
    /// A replica, with what the planner needs of it.
    public struct Candidate: Sendable, Hashable {
        public var id: String
        public var ordinal: Int
        public var template: String
        /// Ready, and registered when the service registers.
        public var available: Bool

        public init(id: String, ordinal: Int, template: String, available: Bool) {
            self.id = id
            self.ordinal = ordinal
            self.template = template
            self.available = available
        }
    }

    /// How many new replicas to start, and which replicas to remove, in order.
    public struct Plan: Sendable, Hashable {
        public var start: Int
        public var remove: [String]

        public init(start: Int, remove: [String]) {
            self.start = start
            self.remove = remove
        }
    }

    /// Plans one step for the replicas that are not being removed.
    public static func plan(
        _ replicas: [Candidate],
        desired: Int,
        template: String,
        maxSurge: Int,
        maxUnavailable: Int
    ) -> Plan {
        let new = replicas.filter { $0.template == template }
        let old = replicas.filter { $0.template != template }
        guard !old.isEmpty else {
            return scale(new, to: desired)
        }
        var remove: [String] = []
        var total = replicas.count
        var available = replicas.filter(\.available).count
        let minimumAvailable = max(desired - maxUnavailable, 0)
        // Old replicas that are not available cost no availability.
        for replica in removalOrder(old) {
            if !replica.available {
                remove.append(replica.id)
                total -= 1
            } else if available - 1 >= minimumAvailable {
                remove.append(replica.id)
                total -= 1
                available -= 1
            }
        }
        let start = max(min(desired - new.count, desired + maxSurge - total), 0)
        return Plan(start: start, remove: remove)
    }

    /// Starts or removes replicas of one template to reach `desired`,
    /// removing unavailable replicas first, then the highest ordinals.
    private static func scale(_ replicas: [Candidate], to desired: Int) -> Plan {
        if replicas.count < desired {
            return Plan(start: desired - replicas.count, remove: [])
        }
        let extra = replicas.count - desired
        return Plan(start: 0, remove: removalOrder(replicas).prefix(extra).map(\.id))
    }

    /// Unavailable replicas first, then the highest ordinals, as the
    /// ReplicaSet controller deletes pods that are not ready first.
    static func removalOrder(_ replicas: [Candidate]) -> [Candidate] {
        replicas.sorted { lhs, rhs in
            lhs.available != rhs.available ? !lhs.available : lhs.ordinal > rhs.ordinal
        }
    }
}
