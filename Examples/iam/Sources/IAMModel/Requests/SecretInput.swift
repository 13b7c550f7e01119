/// The body of a secret create or update: `name` (on create), `extend`,
/// `expires` and `description`. Every other field is type-checked and
/// ignored.
public struct SecretInput: Sendable, Decodable {
    public var metadata: MetadataInput
    public var expires: Int64
    public var description: String

    public init(metadata: MetadataInput, expires: Int64 = 0, description: String = "") {
        self.metadata = metadata
        self.expires = expires
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case metadata, username, secretID, secretKey, expires, description
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decodeMetadata(forKey: .metadata)
        _ = try container.decodeIfPresent(String.self, forKey: .username)
        _ = try container.decodeIfPresent(String.self, forKey: .secretID)
        _ = try container.decodeIfPresent(String.self, forKey: .secretKey)
        expires = try container.decodeIfPresent(Int64.self, forKey: .expires) ?? 0
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
    }
}
