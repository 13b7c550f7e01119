/// What a draft or a release holds: key-value items sorted by key, or the
/// text of one document.
public struct ConfigContent: Sendable, Hashable, Codable {
    public var format: NamespaceFormat
    /// For `keyValue`: the items, sorted by key, keys unique. Empty for a
    /// document.
    public var items: [ConfigItem]
    /// For a document format: its text. Nil for `keyValue`.
    public var document: String?

    public init(format: NamespaceFormat, items: [ConfigItem] = [], document: String? = nil) {
        self.format = format
        self.items = items.sorted { $0.key < $1.key }
        self.document = format.isDocument ? (document ?? "") : nil
    }

    /// An empty draft of `format`.
    public static func empty(_ format: NamespaceFormat) -> ConfigContent {
        ConfigContent(format: format)
    }

    /// The item with `key`, or nil.
    public func item(_ key: String) -> ConfigItem? {
        items.first { $0.key == key }
    }

    /// The content with every secret value replaced by `ConfigItem.maskedValue`.
    public var masked: ConfigContent {
        var copy = self
        copy.items = items.map { item in
            item.secret ? ConfigItem(key: item.key, value: ConfigItem.maskedValue, secret: true) : item
        }
        return copy
    }
}
