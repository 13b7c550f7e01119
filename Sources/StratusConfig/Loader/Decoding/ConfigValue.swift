/// A node with its place in the precedence order, and for an override's
/// text the same text parsed as a YAML flow value.
struct ConfigValue {
    /// The sources in rising precedence: a layer's value replaces a lower
    /// layer's value at the same path.
    enum Layer: Int, Comparable {
        case file
        case environment
        case flag

        static func < (lhs: Layer, rhs: Layer) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }

    var node: ConfigNode
    var layer: Layer
    var flow: Result<ConfigNode, ConfigurationError>?
    /// Whether the value is absent from its mapping and represents a
    /// section that overrides set keys or indexes below. Such a value
    /// decodes as an empty mapping or an empty sequence.
    var isSynthesized = false

    init(node: ConfigNode, layer: Layer) {
        self.node = node
        self.layer = layer
    }

    init(override: OverrideValue, layer: Layer) {
        node = override.scalar
        self.layer = layer
        flow = override.flow
    }

    var isNull: Bool {
        node.scalar.map(ScalarDecoding.isNull) ?? false
    }
}
