/// One node of a configuration tree: a scalar, a sequence or a mapping,
/// with the place it was written.
///
/// `id` identifies the node for tracking which keys a load read. It is
/// unique within one `ConfigurationLoader`, except that the copies an alias
/// expands to share the ids of the anchored node. `size` counts this node
/// and every node below it, with aliases expanded.
struct ConfigNode: Sendable {
    enum Content: Sendable {
        case scalar(ConfigScalar)
        case sequence([ConfigNode])
        case mapping(ConfigMapping)
    }

    var content: Content
    var location: ConfigLocation
    var id: Int
    var size: Int

    /// Returns an empty mapping that represents a section present only
    /// through overrides, or a file without a document. Its id matches no
    /// read.
    static func emptyMapping(at location: ConfigLocation) -> ConfigNode {
        ConfigNode(content: .mapping(ConfigMapping()), location: location, id: -1, size: 1)
    }

    var scalar: ConfigScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }
}

/// A scalar's text with the style and tag it was written in, which decide
/// how the text may be decoded.
struct ConfigScalar: Sendable, Hashable {
    enum Style: Sendable, Hashable {
        /// Unquoted YAML: resolved by the YAML 1.2 core schema.
        case plain
        /// Single- or double-quoted, literal (`|`) or folded (`>`): a string.
        case quoted
        /// The text of an environment variable or a `--set` flag, taken as
        /// written and decoded by the type it is read as.
        case override
    }

    var text: String
    var style: Style
    /// An explicit standard tag such as `!!int`; nil when the scalar had
    /// none.
    var tag: ScalarTag?
}

/// The YAML 1.2 standard scalar tags a configuration file may use.
enum ScalarTag: String, Sendable, Hashable {
    case string = "str"
    case integer = "int"
    case float
    case boolean = "bool"
    case null
}

/// The keys of a mapping in the order written, with a lookup by key.
struct ConfigMapping: Sendable {
    struct Entry: Sendable {
        var key: String
        var keyLocation: ConfigLocation
        /// The id of the key's node, which marks this entry as read.
        var id: Int
        var value: ConfigNode
    }

    private(set) var entries: [Entry] = []
    private var positions: [String: Int] = [:]

    func entry(forKey key: String) -> Entry? {
        positions[key].map { entries[$0] }
    }

    /// Appends `entry`, or returns the entry that already has its key and
    /// leaves the mapping unchanged.
    mutating func append(_ entry: Entry) -> Entry? {
        if let existing = positions[entry.key] {
            return entries[existing]
        }
        positions[entry.key] = entries.count
        entries.append(entry)
        return nil
    }
}
