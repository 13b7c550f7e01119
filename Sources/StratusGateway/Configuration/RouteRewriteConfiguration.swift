import StratusKit

/// Sends part of a route's traffic to the instances of one version.
public struct CanaryConfiguration: Sendable, Hashable, Decodable {
    /// The instance version label of the canary instances.
    public var version: String
    /// The share of requests sent to the canary, 0 to 100 percent.
    public var weight: Double
    /// Requests with this header (and value, when set) always go to the canary.
    public var header: FieldCondition?

    public init(version: String, weight: Double, header: FieldCondition? = nil) {
        self.version = version
        self.weight = weight
        self.header = header
    }

    private enum CodingKeys: String, CodingKey {
        case version, weight, header
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        try ConfigCheck.require(!version.isEmpty, .version, in: container, "expected the canary instances' version label")
        weight = try container.decode(Double.self, forKey: .weight, default: 0)
        try ConfigCheck.require((0...100).contains(weight), .weight, in: container, "expected a percentage from 0 to 100")
        header = try container.decodeIfPresent(FieldCondition.self, forKey: .header)
    }
}

/// Changes to the path sent upstream.
public struct RewriteConfiguration: Sendable, Hashable, Decodable {
    /// A prefix removed from the path; the rest keeps its leading `/`.
    public var stripPrefix: String?
    /// A new path in which `{name}` is replaced by the template parameter
    /// `name` and `{**}` by the rest matched by `**`.
    public var path: String?

    public init(stripPrefix: String? = nil, path: String? = nil) {
        self.stripPrefix = stripPrefix
        self.path = path
    }

    private enum CodingKeys: String, CodingKey {
        case stripPrefix, path
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stripPrefix = try container.decodeIfPresent(String.self, forKey: .stripPrefix)
        try ConfigCheck.require(stripPrefix.map { $0.hasPrefix("/") } ?? true, .stripPrefix, in: container, "expected a prefix starting with /")
        path = try container.decodeIfPresent(String.self, forKey: .path)
        try ConfigCheck.require(path.map { $0.hasPrefix("/") } ?? true, .path, in: container, "expected a path starting with /")
        try ConfigCheck.require(stripPrefix == nil || path == nil, .path, in: container, "set stripPrefix or path, not both")
    }
}

/// Header changes, applied in the order remove, set, add.
public struct HeaderRewriteConfiguration: Sendable, Hashable, Decodable {
    /// Fields added, keeping existing ones of the same name.
    public var add: [String: String]
    /// Fields that replace every existing one of the same name.
    public var set: [String: String]
    public var remove: [String]

    public init(add: [String: String] = [:], set: [String: String] = [:], remove: [String] = []) {
        self.add = add
        self.set = set
        self.remove = remove
    }

    private enum CodingKeys: String, CodingKey {
        case add, set, remove
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        add = try container.decode([String: String].self, forKey: .add, default: [:])
        set = try container.decode([String: String].self, forKey: .set, default: [:])
        remove = try container.decode([String].self, forKey: .remove, default: [])
    }

    var isEmpty: Bool { add.isEmpty && set.isEmpty && remove.isEmpty }
}
