/// The `metadata` of a request body: only `name` and `extend` are read.
///
/// Upstream clients send whole objects with zero read-only fields, such as
/// `"createdAt":"0001-01-01T00:00:00Z"`; those must decode and are then
/// ignored, so `id`, `instanceID`, `createdAt` and `updatedAt` are only
/// type-checked.
public struct MetadataInput: Sendable, Decodable {
    public var name: String
    public var extend: [String: JSONValue]

    public init(name: String = "", extend: [String: JSONValue] = [:]) {
        self.name = name
        self.extend = extend
    }

    enum CodingKeys: String, CodingKey {
        case id, instanceID, name, extend, createdAt, updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _ = try container.decodeIfPresent(UInt64.self, forKey: .id)
        _ = try container.decodeIfPresent(String.self, forKey: .instanceID)
        _ = try container.decodeIfPresent(String.self, forKey: .createdAt)
        _ = try container.decodeIfPresent(String.self, forKey: .updatedAt)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        extend = try container.decodeIfPresent([String: JSONValue].self, forKey: .extend) ?? [:]
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional `metadata` object, empty when absent or null.
    func decodeMetadata(forKey key: Key) throws -> MetadataInput {
        try decodeIfPresent(MetadataInput.self, forKey: key) ?? MetadataInput()
    }
}
