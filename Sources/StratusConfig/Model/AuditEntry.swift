public import Foundation

/// One change to the config center, as the audit log keeps it: who, what,
/// when. Secret values never appear in it.
public struct AuditEntry: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case createNamespace = "create-namespace"
        case setSchema = "set-schema"
        case setItem = "set-item"
        case deleteItem = "delete-item"
        case setDocument = "set-document"
        case publish
        case rollback
        case grayStart = "gray-start"
        case grayPromote = "gray-promote"
        case grayAbandon = "gray-abandon"
    }

    public var time: Date
    public var author: String
    public var action: Action
    public var application: String
    public var environment: String
    public var namespace: String
    /// The item an edit changed.
    public var key: String?
    /// The release a publish, rollback or gray decision made or changed.
    public var release: Int?
    /// What changed, such as `value changed (secret)` or the comment.
    public var detail: String

    public init(
        time: Date,
        author: String,
        action: Action,
        namespace: NamespaceCoordinates,
        key: String? = nil,
        release: Int? = nil,
        detail: String
    ) {
        self.time = time
        self.author = author
        self.action = action
        application = namespace.application
        environment = namespace.environment
        self.namespace = namespace.namespace
        self.key = key
        self.release = release
        self.detail = detail
    }
}

/// Audit entries, newest first.
public struct AuditLog: Sendable, Hashable, Codable {
    public var entries: [AuditEntry]

    public init(entries: [AuditEntry]) {
        self.entries = entries
    }
}
