/// Lists the keys, environment variables and `--set` flags that no load
/// read, each with the nearest key that was read when one is close.
///
/// A key is unknown when its mapping was decoded (or is the file's top
/// level) but no decoder looked the key up. A mapping that an override
/// replaced was never decoded, so nothing below it is unknown. A variable
/// or flag is unknown when its key path was never read.
struct UnknownKeyReport {
    let sources: ConfigSources
    let record: ReadRecord

    /// One line for each unknown entry, such as `config.yaml:4:3:
    /// server.prot; did you mean server.port?`.
    var lines: [String] {
        var lines: [String] = []
        walk(sources.root, path: .root, isTopLevel: true, into: &lines)
        for (name, value) in sources.environment.variables {
            if let path = record.consumedVariables[name] {
                walkFlow(value, path: path, into: &lines)
            } else {
                lines.append(suggesting(ConfigOrigin.environment(name).name, suggestion: nearestVariable(to: name)))
            }
        }
        for (index, flag) in sources.flags.enumerated() {
            if record.consumedFlags.contains(index) {
                walkFlow(flag.value, path: flag.path, into: &lines)
            } else {
                let suggestion = EditDistance.nearest(to: flag.path.description, among: requestedPaths.map(\.description))
                lines.append(suggesting(flag.value.origin.name, suggestion: suggestion))
            }
        }
        return lines
    }

    private func walk(_ node: ConfigNode, path: ConfigKeyPath, isTopLevel: Bool = false, into lines: inout [String]) {
        guard isTopLevel || record.openedNodes.contains(node.id) else { return }
        switch node.content {
        case .mapping(let mapping):
            for entry in mapping.entries {
                let entryPath = path.appending(key: entry.key)
                if !record.readEntries.contains(entry.id) {
                    let suggestion = EditDistance.nearest(to: entry.key, among: record.requestedKeys[path] ?? [])
                    lines.append(suggesting("\(entry.keyLocation.messagePrefix)\(entryPath)", suggestion: suggestion.map { path.appending(key: $0).description }))
                } else {
                    walk(entry.value, path: entryPath, into: &lines)
                }
            }
        case .sequence(let elements):
            for (index, element) in elements.enumerated() {
                walk(element, path: path.appending(.index(index)), into: &lines)
            }
        case .scalar:
            break
        }
    }

    /// Walks the parsed flow value of an override that a decoder read.
    private func walkFlow(_ value: OverrideValue, path: ConfigKeyPath, into lines: inout [String]) {
        if case .success(let node) = value.flow {
            walk(node, path: path, into: &lines)
        }
    }

    private func suggesting(_ subject: String, suggestion: String?) -> String {
        suggestion.map { "\(subject); did you mean \($0)?" } ?? subject
    }

    private var requestedPaths: [ConfigKeyPath] {
        record.requestedKeys.flatMap { parent, keys in keys.map { parent.appending(key: $0) } }
    }

    /// Returns the closest name of a key path that was read, in the
    /// variable's own form.
    private func nearestVariable(to name: String) -> String? {
        let prefix = sources.environment.prefix ?? ""
        let isDoubleForm = name.hasPrefix(prefix + "__")
        let candidates = requestedPaths.compactMap { path in
            isDoubleForm ? sources.environment.doubleUnderscoreName(for: path) : sources.environment.name(for: path)
        }
        return EditDistance.nearest(to: name, among: candidates)
    }
}
