/// The differences between two versions of a namespace's content: per key
/// for key-value items, per line for a document.
public struct ReleaseDiff: Sendable, Hashable, Codable {
    /// What was compared: a release number, `draft`, or `none` for the
    /// empty content before the first release.
    public var from: String
    public var to: String
    public var format: NamespaceFormat
    /// For key-value namespaces: the changed keys, sorted.
    public var items: [ItemChange]
    /// For documents: the removed and added lines, in the order of a
    /// unified diff.
    public var lines: [LineChange]

    public init(from: String, to: String, format: NamespaceFormat, items: [ItemChange] = [], lines: [LineChange] = []) {
        self.from = from
        self.to = to
        self.format = format
        self.items = items
        self.lines = lines
    }

    public var isEmpty: Bool { items.isEmpty && lines.isEmpty }
}

/// One key that differs. A secret value shows as `ConfigItem.maskedValue`.
public struct ItemChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case added, removed, changed
    }

    public var key: String
    public var kind: Kind
    public var old: String?
    public var new: String?
    /// Whether either side is secret.
    public var secret: Bool

    public init(key: String, kind: Kind, old: String?, new: String?, secret: Bool) {
        self.key = key
        self.kind = kind
        self.old = old
        self.new = new
        self.secret = secret
    }
}

/// One line removed from the old document or added in the new one.
public struct LineChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case added, removed
    }

    public var kind: Kind
    /// The 1-based line number: in the old document for a removed line, in
    /// the new one for an added line.
    public var line: Int
    public var text: String

    public init(kind: Kind, line: Int, text: String) {
        self.kind = kind
        self.line = line
        self.text = text
    }
}
