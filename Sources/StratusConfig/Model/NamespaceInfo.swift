public import Foundation

/// A namespace's settings and the state of its releases and draft.
public struct NamespaceInfo: Sendable, Hashable, Codable {
    public var application: String
    public var environment: String
    public var namespace: String
    public var format: NamespaceFormat
    /// The JSON Schema that publishes are validated against, as JSON text.
    public var schema: String?
    public var createdAt: Date
    public var createdBy: String
    public var head: ReleaseHead
    /// Whether the draft differs from the main release.
    public var draftChanged: Bool

    public init(
        namespace: NamespaceCoordinates,
        format: NamespaceFormat,
        schema: String?,
        createdAt: Date,
        createdBy: String,
        head: ReleaseHead,
        draftChanged: Bool
    ) {
        application = namespace.application
        environment = namespace.environment
        self.namespace = namespace.namespace
        self.format = format
        self.schema = schema
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.head = head
        self.draftChanged = draftChanged
    }
}

/// The namespaces of one application and environment, sorted by name.
public struct NamespaceList: Sendable, Hashable, Codable {
    public var application: String
    public var environment: String
    public var namespaces: [NamespaceInfo]

    public init(application: String, environment: String, namespaces: [NamespaceInfo]) {
        self.application = application
        self.environment = environment
        self.namespaces = namespaces
    }
}

/// A namespace's draft: the content the next publish releases.
public struct Draft: Sendable, Hashable, Codable {
    public var content: ConfigContent
    public var updatedAt: Date
    public var updatedBy: String
    /// Whether the draft differs from the main release.
    public var changed: Bool

    public init(content: ConfigContent, updatedAt: Date, updatedBy: String, changed: Bool) {
        self.content = content
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.changed = changed
    }
}
