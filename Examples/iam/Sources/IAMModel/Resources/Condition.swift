/// A condition on one key of the authorization request's context, in the
/// JSON form `{"type":"CIDRCondition","options":{"cidr":"10.0.0.0/8"}}`.
///
/// These are the seven types of ory/ladon v1.2.0. Go clients decode
/// conditions by `type`, so no other type is ever printed, and an unknown
/// type fails to decode.
public enum Condition: Sendable, Hashable {
    /// The value is an IP address inside the network `cidr`.
    case cidr(cidr: String)
    /// The value is a string equal to `equals`.
    case stringEqual(equals: String)
    /// The value is a string in which the regular expression `matches`
    /// finds a match anywhere.
    case stringMatch(matches: String)
    /// The value is a JSON boolean equal to `value`.
    case boolean(value: Bool)
    /// The value is a string equal to the request's subject.
    case equalsSubject
    /// The value is an array of two-string arrays whose strings are equal.
    case stringPairsEqual
    /// The value's `value` occurs in the resource between delimiters.
    case resourceContains

    public var typeName: String {
        switch self {
        case .cidr: "CIDRCondition"
        case .stringEqual: "StringEqualCondition"
        case .stringMatch: "StringMatchCondition"
        case .boolean: "BooleanCondition"
        case .equalsSubject: "EqualsSubjectCondition"
        case .stringPairsEqual: "StringPairsEqualCondition"
        case .resourceContains: "ResourceContainsCondition"
        }
    }

    public static let typeNames = [
        "CIDRCondition", "StringEqualCondition", "StringMatchCondition", "BooleanCondition",
        "EqualsSubjectCondition", "StringPairsEqualCondition", "ResourceContainsCondition",
    ]
}

extension Condition: Codable {
    enum CodingKeys: String, CodingKey {
        case type, options
    }

    enum OptionKeys: String, CodingKey {
        case cidr, equals, matches, value
    }

    /// Decodes the type, then its options. Missing, null or empty options
    /// leave every field at its zero value; a field of the wrong JSON type
    /// fails, as Go's decoder does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        let options = try Self.optionsContainer(container)
        func text(_ key: OptionKeys) throws -> String {
            try options?.decodeIfPresent(String.self, forKey: key) ?? ""
        }
        switch type {
        case "CIDRCondition": self = .cidr(cidr: try text(.cidr))
        case "StringEqualCondition": self = .stringEqual(equals: try text(.equals))
        case "StringMatchCondition": self = .stringMatch(matches: try text(.matches))
        case "BooleanCondition": self = .boolean(value: try options?.decodeIfPresent(Bool.self, forKey: .value) ?? false)
        case "EqualsSubjectCondition": self = .equalsSubject
        case "StringPairsEqualCondition": self = .stringPairsEqual
        case "ResourceContainsCondition": self = .resourceContains
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown condition type \"\(type)\"; expected one of \(Self.typeNames.joined(separator: ", "))"
            )
        }
    }

    private static func optionsContainer(_ container: KeyedDecodingContainer<CodingKeys>) throws -> KeyedDecodingContainer<OptionKeys>? {
        guard container.contains(.options), try !container.decodeNil(forKey: .options) else { return nil }
        return try container.nestedContainer(keyedBy: OptionKeys.self, forKey: .options)
    }

    /// Writes `options` with every field of the type, even at its zero value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(typeName, forKey: .type)
        var options = container.nestedContainer(keyedBy: OptionKeys.self, forKey: .options)
        switch self {
        case .cidr(let cidr): try options.encode(cidr, forKey: .cidr)
        case .stringEqual(let equals): try options.encode(equals, forKey: .equals)
        case .stringMatch(let matches): try options.encode(matches, forKey: .matches)
        case .boolean(let value): try options.encode(value, forKey: .value)
        case .equalsSubject, .stringPairsEqual, .resourceContains: break
        }
    }
}
