/// The `metadata` every resource carries: storage id, readable instance id,
/// name, free-form `extend` and the creation and update times.
public struct ObjectMeta: Sendable, Hashable {
    public var id: UInt64
    /// `user-…`, `secret-…` or `policy-…`, derived from `id`.
    public var instanceID: String
    public var name: String
    /// A free-form JSON object kept with the resource; empty when absent.
    public var extend: [String: JSONValue]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: UInt64 = 0, instanceID: String = "", name: String, extend: [String: JSONValue] = [:],
        createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.instanceID = instanceID
        self.name = name
        self.extend = extend
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension ObjectMeta: Codable {
    enum CodingKeys: String, CodingKey {
        case id, instanceID, name, extend, createdAt, updatedAt
    }

    /// Reads every field, for clients of the API; servers decode request
    /// bodies with `MetadataInput`, which ignores the read-only fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(UInt64.self, forKey: .id) ?? 0
        instanceID = try container.decodeIfPresent(String.self, forKey: .instanceID) ?? ""
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        extend = try container.decodeIfPresent([String: JSONValue].self, forKey: .extend) ?? [:]
        createdAt = try container.decodeIfPresent(Timestamp.self, forKey: .createdAt) ?? Timestamp(microseconds: 0)
        updatedAt = try container.decodeIfPresent(Timestamp.self, forKey: .updatedAt) ?? Timestamp(microseconds: 0)
    }

    /// Writes the fields in upstream's order, leaving out a zero `id` and an
    /// empty `instanceID`, `name` or `extend`, as upstream's `omitempty` does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if id != 0 { try container.encode(id, forKey: .id) }
        if !instanceID.isEmpty { try container.encode(instanceID, forKey: .instanceID) }
        if !name.isEmpty { try container.encode(name, forKey: .name) }
        if !extend.isEmpty { try container.encode(extend, forKey: .extend) }
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
