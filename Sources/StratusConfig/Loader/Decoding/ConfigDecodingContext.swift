/// The state of one `load` call: the sources, and what the decoders read.
///
/// It resolves each key the decoder reads through the layers: a `--set`
/// flag for the exact path wins, then an environment variable, then the
/// file. Inside a value that a higher layer set, a lower layer no longer
/// applies. Not thread-safe: one load runs on one thread.
final class ConfigDecodingContext {
    let sources: ConfigSources
    var record = ReadRecord()

    init(sources: ConfigSources) {
        self.sources = sources
    }

    /// Returns the value of `key` in `parent`, a mapping, or nil when no
    /// layer sets it, and records the key as read. A key that is absent or
    /// null counts as an empty section when an override sets a key or index
    /// below it.
    func child(of parent: ConfigValue, key: String, parentPath: ConfigKeyPath) throws(ConfigurationError) -> ConfigValue? {
        record.requestedKeys[parentPath, default: []].insert(key)
        let path = parentPath.appending(key: key)
        var found: ConfigValue?
        if case .mapping(let mapping) = parent.node.content, let entry = mapping.entry(forKey: key) {
            record.readEntries.insert(entry.id)
            found = ConfigValue(node: entry.value, layer: parent.layer)
        }
        if let override = try override(at: path, within: parent.layer) {
            return override
        }
        if found?.isNull ?? true, hasOverride(below: path, within: parent.layer) {
            let location = found?.node.location ?? parent.node.location
            var synthesized = ConfigValue(node: .emptyMapping(at: location), layer: parent.layer)
            synthesized.isSynthesized = true
            return synthesized
        }
        return found
    }

    /// Returns the element `node` of the sequence `parent`, or the override
    /// that sets its path.
    func element(_ node: ConfigNode, of parent: ConfigValue, path: ConfigKeyPath) throws(ConfigurationError) -> ConfigValue {
        try override(at: path, within: parent.layer) ?? ConfigValue(node: node, layer: parent.layer)
    }

    /// Returns the value at `target` below `value`, which is at `path`.
    /// Returns nil when a key on the way is absent or an index is past the
    /// end.
    func descend(to target: ConfigKeyPath, from value: ConfigValue, at path: ConfigKeyPath) throws(ConfigurationError) -> ConfigValue? {
        var value = value
        var current = path
        for component in target.components.dropFirst(path.components.count) {
            switch component {
            case .key(let key):
                let (_, mapping) = try mapping(of: value, path: current)
                guard let child = try child(of: mapping, key: key, parentPath: current) else { return nil }
                value = child
            case .index(let index):
                let (elements, sequence) = try sequence(of: value, path: current)
                guard index < elements.count else { return nil }
                value = try element(elements[index], of: sequence, path: current.appending(component))
            }
            current = current.appending(component)
        }
        return value
    }

    /// Returns the highest-precedence override for exactly `path` that
    /// applies inside a value of `layer`. Every matching variable and flag counts as
    /// read, also when a higher layer hides it.
    private func override(at path: ConfigKeyPath, within layer: ConfigValue.Layer) throws(ConfigurationError) -> ConfigValue? {
        let flagIndexes = sources.flagIndexes(at: path)
        record.consumedFlags.formUnion(flagIndexes)
        let variables = sources.environment.variables(at: path)
        for variable in variables {
            record.consumedVariables[variable.name] = path
        }
        if variables.count > 1 {
            throw ConfigurationError(.invalidOverride, keyPath: path.description, "environment variables \(variables[0].name) and \(variables[1].name) both set \(path); unset one of them")
        }
        if let last = flagIndexes.last {
            return ConfigValue(override: sources.flags[last].value, layer: .flag)
        }
        if let variable = variables.first, layer <= .environment {
            return ConfigValue(override: variable.value, layer: .environment)
        }
        return nil
    }

    private func hasOverride(below path: ConfigKeyPath, within layer: ConfigValue.Layer) -> Bool {
        sources.hasFlag(below: path) || (layer <= .environment && sources.environment.hasVariable(below: path))
    }
}
