/// What a namespace holds: key-value items, or one whole document.
public enum NamespaceFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Items edited one key at a time; values are strings, and items may be
    /// secret.
    case keyValue = "key-value"
    case yaml
    case json
    /// A Java-style properties document: `key=value` lines.
    case properties

    public var isDocument: Bool { self != .keyValue }

    /// Returns the document format a file name's extension names, nil for
    /// an unknown extension.
    public static func document(forFileName name: String) -> NamespaceFormat? {
        let lowered = name.lowercased()
        if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") { return .yaml }
        if lowered.hasSuffix(".json") { return .json }
        if lowered.hasSuffix(".properties") { return .properties }
        return nil
    }
}
