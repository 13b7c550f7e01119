/// The progress of replacing a service's replicas with its current template.
public struct RolloutStatus: Sendable, Hashable, Codable {
    /// The current template's hash.
    public var template: String
    /// Replicas of the current template, and how many of them are available.
    public var updatedReplicas: Int
    public var updatedAvailable: Int
    /// Replicas of earlier templates still running.
    public var oldReplicas: Int
    /// True once every replica runs the current template and is available.
    public var complete: Bool

    public init(template: String, updatedReplicas: Int, updatedAvailable: Int, oldReplicas: Int, complete: Bool) {
        self.template = template
        self.updatedReplicas = updatedReplicas
        self.updatedAvailable = updatedAvailable
        self.oldReplicas = oldReplicas
        self.complete = complete
    }
}
