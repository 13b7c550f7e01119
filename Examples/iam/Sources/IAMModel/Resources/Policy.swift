/// A policy: one ladon rule owned by a user. `policy.id` always equals the
/// name.
public struct Policy: Sendable, Hashable, Codable {
    public var metadata: ObjectMeta
    /// The owner.
    public var username: String
    public var policy: LadonPolicy

    public init(metadata: ObjectMeta, username: String, policy: LadonPolicy) {
        self.metadata = metadata
        self.username = username
        self.policy = policy
        self.policy.id = metadata.name
    }

    public var name: String { metadata.name }
}
