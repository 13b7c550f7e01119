/// Everything a `ConfigurationLoader` decodes from: the file's tree and the
/// overrides from the environment and from flags.
struct ConfigSources: Sendable {
    let root: ConfigNode
    let environment: EnvironmentOverrides
    /// In the order given; a later flag for the same path wins.
    let flags: [FlagOverride]

    /// Reads and parses the file and the overrides.
    /// - Throws: `ConfigurationError` when the file cannot be read or
    ///   parsed, an override is malformed or the prefix is empty.
    init(file: String?, environment: [String: String], environmentPrefix: String?, overrides: [String]) throws(ConfigurationError) {
        var nextID = 0
        if let file {
            (root, nextID) = try YAMLDocumentParser.parse(try ConfigFile.read(file), origin: .file(file), firstID: nextID)
        } else {
            root = .emptyMapping(at: ConfigLocation(origin: .none, line: 1, column: 1))
        }
        let prefix = environmentPrefix.map(EnvironmentOverrides.normalizePrefix)
        if prefix == "" {
            throw ConfigurationError(.invalidOverride, "the environment prefix \"\(environmentPrefix ?? "")\" contains no letters or digits; pass a service name such as \"app\", or nil to read no environment variables")
        }
        self.environment = EnvironmentOverrides(environment: environment, prefix: prefix, nextID: &nextID)
        var flags: [FlagOverride] = []
        for argument in overrides {
            flags.append(try FlagOverride(parsing: argument, nextID: &nextID))
        }
        self.flags = flags
    }

    /// Makes the sources of a config-center release: a document's tree,
    /// or key-value items as overrides on an empty mapping.
    init(root: ConfigNode, overrides: [FlagOverride]) {
        self.root = root
        var unusedID = 0
        environment = EnvironmentOverrides(environment: [:], prefix: nil, nextID: &unusedID)
        flags = overrides
    }

    /// Returns the indexes of the flags that set exactly `path`, in order.
    func flagIndexes(at path: ConfigKeyPath) -> [Int] {
        flags.indices.filter { flags[$0].path == path }
    }

    func hasFlag(below path: ConfigKeyPath) -> Bool {
        flags.contains { path.isStrictPrefix(of: $0.path) }
    }

    /// Returns the keys that flags set directly below `path`, which a
    /// dictionary decoded there lists.
    func flagKeys(below path: ConfigKeyPath) -> [String] {
        flags.compactMap { flag in
            guard path.isStrictPrefix(of: flag.path), case .key(let key) = flag.path.components[path.components.count] else {
                return nil
            }
            return key
        }
    }
}
