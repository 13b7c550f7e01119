extension YAMLTreeBuilder {
    /// The prefix of the YAML 1.2 standard tags; `!!int` is short for
    /// `tag:yaml.org,2002:int`.
    private static let standardTagPrefix = "tag:yaml.org,2002:"

    func makeScalar(text: String, style: YAMLEvent.ScalarStyle, tag: String?, at location: ConfigLocation) throws(ConfigurationError) -> ConfigScalar {
        let scalar = ConfigScalar(text: text, style: style == .plain ? .plain : .quoted, tag: try scalarTag(tag, at: location))
        if let tag = scalar.tag, !CoreSchema.matches(scalar.text, tag) {
            throw error(at: location, path: currentPath, "the value \"\(text)\" is tagged !!\(tag.rawValue) but is not \(tag.valueDescription); fix the value or remove the tag")
        }
        return scalar
    }

    /// Accepts `!!map` on mappings, `!!seq` on sequences and the
    /// non-specific tag `!`, which change nothing.
    func checkCollectionTag(_ tag: String?, isMapping: Bool, at location: ConfigLocation) throws(ConfigurationError) {
        guard let tag, tag != "!" else { return }
        let expected = Self.standardTagPrefix + (isMapping ? "map" : "seq")
        if tag != expected {
            throw unsupportedTag(tag, at: location)
        }
    }

    /// Returns the tag a scalar is decoded by. The non-specific tag `!`
    /// makes a string, as YAML 1.2 specifies.
    private func scalarTag(_ tag: String?, at location: ConfigLocation) throws(ConfigurationError) -> ScalarTag? {
        guard let tag else { return nil }
        if tag == "!" {
            return .string
        }
        guard tag.hasPrefix(Self.standardTagPrefix), let scalarTag = ScalarTag(rawValue: String(tag.dropFirst(Self.standardTagPrefix.count))) else {
            throw unsupportedTag(tag, at: location)
        }
        return scalarTag
    }

    private func unsupportedTag(_ tag: String, at location: ConfigLocation) -> ConfigurationError {
        let shown = tag.hasPrefix(Self.standardTagPrefix) ? "!!" + tag.dropFirst(Self.standardTagPrefix.count) : tag
        return error(at: location, path: currentPath, "unsupported tag \(shown); configuration values take only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq, so remove the tag")
    }
}

extension ScalarTag {
    /// The value as an error message names it: "not an integer".
    var valueDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .boolean: "true or false"
        case .null: "null"
        }
    }
}
