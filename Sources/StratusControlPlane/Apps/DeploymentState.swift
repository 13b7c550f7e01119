/// The part of a service's desired state that changes without a new app
/// spec: the replica count that `stratus scale` and the autoscaler set, and
/// the restart stamp of `stratus rollout restart`.
public struct DeploymentState: Sendable, Hashable, Codable {
    public var service: String
    /// The desired number of replicas.
    public var replicas: Int
    /// The replica count of the spec that was applied last. Applying a spec
    /// with another count resets `replicas` to it; applying the same count
    /// keeps a count set by scaling.
    public var specReplicas: Int
    /// When a rollout restart was requested, ISO 8601; part of the replicas'
    /// template, so a new stamp replaces every replica.
    public var restartedAt: String?

    public init(service: String, replicas: Int, specReplicas: Int, restartedAt: String? = nil) {
        self.service = service
        self.replicas = replicas
        self.specReplicas = specReplicas
        self.restartedAt = restartedAt
    }
}
