/// One service's replicas as observed: the Deployment's status fields.
public struct ServiceStatus: Sendable, Hashable, Codable {
    public var name: String
    public var desiredReplicas: Int
    /// Replicas whose readiness probe passes.
    public var readyReplicas: Int
    /// Ready replicas that are also registered, when the service registers.
    public var availableReplicas: Int
    /// Replicas of the current template.
    public var updatedReplicas: Int
    /// Restarts of all replicas, summed.
    public var restarts: Int
    /// Whether a replica is waiting to restart after crashing twice or more
    /// in a row (CrashLoopBackOff).
    public var crashLooping: Bool
    public var rollout: RolloutStatus
    public var autoscale: AutoscaleStatus?
    public var replicas: [ReplicaStatus]

    public init(
        name: String, desiredReplicas: Int, readyReplicas: Int, availableReplicas: Int, updatedReplicas: Int, restarts: Int,
        crashLooping: Bool, rollout: RolloutStatus, autoscale: AutoscaleStatus?, replicas: [ReplicaStatus]
    ) {
        self.name = name
        self.desiredReplicas = desiredReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.updatedReplicas = updatedReplicas
        self.restarts = restarts
        self.crashLooping = crashLooping
        self.rollout = rollout
        self.autoscale = autoscale
        self.replicas = replicas
    }
}
