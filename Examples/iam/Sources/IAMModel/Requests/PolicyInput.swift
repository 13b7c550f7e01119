/// The body of a policy create or update: `name` (on create), `extend` and
/// `policy`. A body without `policy` stores an empty rule that matches
/// nothing.
public struct PolicyInput: Sendable, Decodable {
    public var metadata: MetadataInput
    public var policy: LadonPolicy

    public init(metadata: MetadataInput, policy: LadonPolicy = LadonPolicy()) {
        self.metadata = metadata
        self.policy = policy
    }

    enum CodingKeys: String, CodingKey {
        case metadata, username, policy
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decodeMetadata(forKey: .metadata)
        _ = try container.decodeIfPresent(String.self, forKey: .username)
        policy = try container.decodeIfPresent(LadonPolicy.self, forKey: .policy) ?? LadonPolicy()
    }
}
