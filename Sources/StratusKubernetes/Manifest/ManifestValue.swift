/// A value of a Kubernetes manifest: the JSON data model, with mappings
/// that keep their keys in the order they were written, so a rendering is
/// byte-for-byte stable.
public indirect enum ManifestValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([ManifestValue])
    case map([ManifestEntry])

    /// Returns a mapping of the entries whose value is not nil, in order.
    public static func object(_ entries: (String, ManifestValue?)...) -> ManifestValue {
        .map(entries.compactMap { key, value in value.map { ManifestEntry(key: key, value: $0) } })
    }

    /// Returns a mapping of string values with the keys sorted.
    public static func strings(_ values: [String: String]) -> ManifestValue {
        .map(values.keys.sorted().map { ManifestEntry(key: $0, value: .string(values[$0]!)) })
    }

    /// The value at `key` of a mapping.
    public subscript(key: String) -> ManifestValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var listValue: [ManifestValue]? {
        if case .list(let items) = self { return items }
        return nil
    }
}

/// One key and value of a mapping.
public struct ManifestEntry: Sendable, Hashable {
    public var key: String
    public var value: ManifestValue

    public init(key: String, value: ManifestValue) {
        self.key = key
        self.value = value
    }
}

/// One Kubernetes object.
public struct ManifestObject: Sendable, Hashable {
    public var kind: String
    public var name: String
    public var value: ManifestValue

    public init(kind: String, name: String, value: ManifestValue) {
        self.kind = kind
        self.name = name
        self.value = value
    }
}
