import Foundation

/// The rule of a policy, in the JSON form of ory/ladon v1.2.0's
/// `DefaultPolicy`.
///
/// Missing arrays stay `nil` and are printed as `null`; `conditions` is
/// printed as `{}` when empty. `meta` holds opaque bytes, which JSON carries
/// as a standard base64 string.
public struct LadonPolicy: Sendable, Hashable {
    public var id: String
    public var description: String
    public var subjects: [String]?
    /// `"allow"` grants; any other value denies when the policy matches.
    public var effect: String
    public var resources: [String]?
    public var actions: [String]?
    public var conditions: [String: Condition]
    public var meta: [UInt8]?

    public init(
        id: String = "", description: String = "", subjects: [String]? = nil, effect: String = "",
        resources: [String]? = nil, actions: [String]? = nil, conditions: [String: Condition] = [:], meta: [UInt8]? = nil
    ) {
        self.id = id
        self.description = description
        self.subjects = subjects
        self.effect = effect
        self.resources = resources
        self.actions = actions
        self.conditions = conditions
        self.meta = meta
    }

    public static let allowEffect = "allow"

    public var allowsAccess: Bool { effect == Self.allowEffect }
}

extension LadonPolicy: Codable {
    enum CodingKeys: String, CodingKey {
        case id, description, subjects, effect, resources, actions, conditions, meta
    }

    /// Decodes as ladon does: absent fields are empty, an unknown condition
    /// type or a `meta` that is not base64 or null fails.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        subjects = try container.decodeIfPresent([String].self, forKey: .subjects)
        effect = try container.decodeIfPresent(String.self, forKey: .effect) ?? ""
        resources = try container.decodeIfPresent([String].self, forKey: .resources)
        actions = try container.decodeIfPresent([String].self, forKey: .actions)
        conditions = try container.decodeIfPresent([String: Condition].self, forKey: .conditions) ?? [:]
        if let text = try container.decodeIfPresent(String.self, forKey: .meta) {
            guard let bytes = Data(base64Encoded: text) else {
                throw DecodingError.dataCorruptedError(forKey: .meta, in: container, debugDescription: "expected standard base64 or null, found \"\(text.prefix(40))\"")
            }
            meta = Array(bytes)
        } else {
            meta = nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(description, forKey: .description)
        try container.encode(subjects, forKey: .subjects)
        try container.encode(effect, forKey: .effect)
        try container.encode(resources, forKey: .resources)
        try container.encode(actions, forKey: .actions)
        try container.encode(conditions, forKey: .conditions)
        try container.encode(meta.map { Data($0).base64EncodedString() }, forKey: .meta)
    }
}
