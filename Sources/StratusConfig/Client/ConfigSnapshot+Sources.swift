extension ConfigSnapshot {
    /// Returns the decoder's sources for a release: a document's tree, or items and
    /// properties as overrides on an empty mapping.
    static func sources(for release: Release?, name: String) throws(ConfigurationError) -> ConfigSources {
        guard let release else {
            return ConfigSources(root: .emptyMapping(at: ConfigLocation(origin: .release(name), line: 0, column: 0)), overrides: [])
        }
        let origin = ConfigOrigin.release(release.name)
        let empty = ConfigNode.emptyMapping(at: ConfigLocation(origin: origin, line: 0, column: 0))
        var nextID = 0
        switch release.content.format {
        case .keyValue:
            let entries = release.content.items.map { (key: $0.key, value: $0.value, line: 0) }
            return ConfigSources(root: empty, overrides: try overrides(entries, origin: origin, nextID: &nextID))
        case .properties:
            let entries: [PropertiesParser.Entry]
            do {
                entries = try PropertiesParser.parse(release.content.document ?? "")
            } catch {
                throw ConfigurationError(.invalidValue, "\(release.name): \(error.description)")
            }
            let overrides = try overrides(entries.map { ($0.key, $0.value, $0.line) }, origin: origin, nextID: &nextID)
            return ConfigSources(root: empty, overrides: overrides)
        case .yaml:
            let root = try YAMLDocumentParser.parse(Array((release.content.document ?? "").utf8), origin: origin, firstID: 0).root
            return ConfigSources(root: root, overrides: [])
        case .json:
            let value: DocumentValue
            do {
                value = try JSONDocumentParser.parse(release.content.document ?? "")
            } catch {
                throw ConfigurationError(.invalidValue, "\(release.name): invalid JSON: \(error.description)")
            }
            return ConfigSources(root: value.configNode(origin: origin, nextID: &nextID), overrides: [])
        }
    }

    private static func overrides(_ entries: [(key: String, value: String, line: Int)], origin: ConfigOrigin, nextID: inout Int) throws(ConfigurationError) -> [FlagOverride] {
        var overrides: [FlagOverride] = []
        for entry in entries {
            let path: ConfigKeyPath
            do {
                path = try ConfigKeyPath(parsing: entry.key)
            } catch {
                throw ConfigurationError(.invalidKeyPath, keyPath: entry.key, "\(origin.name): invalid key \"\(entry.key)\": \(error.reason)")
            }
            overrides.append(FlagOverride(path: path, text: entry.value, origin: origin, line: entry.line, nextID: &nextID))
        }
        return overrides
    }
}
