/// A path to a configuration value: mapping keys and sequence indexes,
/// written `server.port` or `peers[2].host`.
struct ConfigKeyPath: Sendable, Hashable, CustomStringConvertible {
    enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    static let root = ConfigKeyPath(components: [])

    var components: [Component]

    func appending(_ component: Component) -> ConfigKeyPath {
        ConfigKeyPath(components: components + [component])
    }

    func appending(key: String) -> ConfigKeyPath {
        appending(.key(key))
    }

    /// Returns whether `other` starts with every component of this path and
    /// has more.
    func isStrictPrefix(of other: ConfigKeyPath) -> Bool {
        other.components.count > components.count && Array(other.components.prefix(components.count)) == components
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// The path as `CodingKey`s, for `Decoder.codingPath`.
    var codingKeys: [any CodingKey] {
        components.map { component in
            switch component {
            case .key(let key): ConfigCodingKey(stringValue: key)
            case .index(let index): ConfigCodingKey(intValue: index)
            }
        }
    }
}

/// A coding key for a mapping key or a sequence index of a configuration.
struct ConfigCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "\(intValue)"
        self.intValue = intValue
    }
}
