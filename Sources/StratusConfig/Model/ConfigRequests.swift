/// Creates a namespace.
public struct CreateNamespaceRequest: Sendable, Hashable, Codable {
    public var format: NamespaceFormat
    /// A JSON Schema, as JSON text, that publishes must pass.
    public var schema: String?
    public var author: String

    public init(format: NamespaceFormat, schema: String? = nil, author: String) {
        self.format = format
        self.schema = schema
        self.author = author
    }
}

/// Attaches a JSON Schema to a namespace, or removes it with nil.
public struct SetSchemaRequest: Sendable, Hashable, Codable {
    public var schema: String?
    public var author: String

    public init(schema: String?, author: String) {
        self.schema = schema
        self.author = author
    }
}

/// Sets one item of a key-value draft.
public struct SetItemRequest: Sendable, Hashable, Codable {
    public var value: String
    /// Whether the value is encrypted at rest and masked in listings.
    public var secret: Bool
    public var author: String

    public init(value: String, secret: Bool = false, author: String) {
        self.value = value
        self.secret = secret
        self.author = author
    }

    enum CodingKeys: String, CodingKey {
        case value, secret, author
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(String.self, forKey: .value)
        secret = try container.decode(Bool.self, forKey: .secret, default: false)
        author = try container.decode(String.self, forKey: .author)
    }
}

/// Replaces the document of a document draft.
public struct SetDocumentRequest: Sendable, Hashable, Codable {
    public var document: String
    public var author: String

    public init(document: String, author: String) {
        self.document = document
        self.author = author
    }
}

/// Publishes the draft to every instance.
public struct PublishRequest: Sendable, Hashable, Codable {
    public var author: String
    public var comment: String

    public init(author: String, comment: String = "") {
        self.author = author
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case author, comment
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        author = try container.decode(String.self, forKey: .author)
        comment = try container.decode(String.self, forKey: .comment, default: "")
    }
}

/// Publishes the draft as a gray release, seen only by the instances of
/// `selector`.
public struct GrayStartRequest: Sendable, Hashable, Codable {
    public var selector: GraySelector
    public var author: String
    public var comment: String

    public init(selector: GraySelector, author: String, comment: String = "") {
        self.selector = selector
        self.author = author
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case selector, author, comment
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        selector = try container.decode(GraySelector.self, forKey: .selector)
        author = try container.decode(String.self, forKey: .author)
        comment = try container.decode(String.self, forKey: .comment, default: "")
    }
}

/// Publishes an earlier release's content again as a new release.
public struct RollbackRequest: Sendable, Hashable, Codable {
    /// The release to go back to; nil for the one before the main release.
    public var to: Int?
    public var author: String
    public var comment: String

    public init(to: Int? = nil, author: String, comment: String = "") {
        self.to = to
        self.author = author
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case to, author, comment
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        to = try container.decodeIfPresent(Int.self, forKey: .to)
        author = try container.decode(String.self, forKey: .author)
        comment = try container.decode(String.self, forKey: .comment, default: "")
    }
}

/// Promotes or abandons the gray release in progress.
public struct GrayDecisionRequest: Sendable, Hashable, Codable {
    public var author: String
    public var comment: String

    public init(author: String, comment: String = "") {
        self.author = author
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case author, comment
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        author = try container.decode(String.self, forKey: .author)
        comment = try container.decode(String.self, forKey: .comment, default: "")
    }
}
