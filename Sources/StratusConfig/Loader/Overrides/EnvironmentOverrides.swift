/// The environment variables that override configuration keys, and the
/// rule that names them.
///
/// With the prefix `APP`, the key path `server.read-timeout` is set by
/// either of:
/// - `APP_SERVER_READ_TIMEOUT`: the path's keys upper-cased, `-` written as
///   `_`, joined with `_`; a sequence index is its decimal number.
/// - `APP__server__read_timeout`: the same keys joined with `__` after
///   `APP__`, for keys that contain `_`, where the first form cannot tell
///   `read_timeout` from `read.timeout`.
///
/// A name that starts with `APP__` is always read in the second form. The
/// prefix is matched exactly; the rest of the name is compared upper-cased.
/// A variable matches the key paths the decoder reads, so a name that two
/// paths share sets both.
struct EnvironmentOverrides: Sendable {
    /// The normalized prefix, such as `IAM_APISERVER`; nil when no
    /// variable overrides keys.
    let prefix: String?
    /// Every variable with the prefix, sorted by name.
    let variables: [(name: String, value: OverrideValue)]
    /// Variables of the `_` form, by the upper-cased name after `PREFIX_`.
    private let singleForm: [String: String]
    /// Variables of the `__` form, by the upper-cased name after `PREFIX__`.
    private let doubleForm: [String: String]
    private let values: [String: OverrideValue]

    /// - Parameter nextID: The first node id for parsed flow values;
    ///   advanced past the ids used.
    init(environment: [String: String], prefix: String?, nextID: inout Int) {
        self.prefix = prefix
        guard let prefix else {
            (variables, singleForm, doubleForm, values) = ([], [:], [:], [:])
            return
        }
        var variables: [(name: String, value: OverrideValue)] = []
        var singleForm: [String: String] = [:]
        var doubleForm: [String: String] = [:]
        for (name, text) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix(prefix + "_") {
            variables.append((name, OverrideValue(text: text, origin: .environment(name), nextID: &nextID)))
            let rest = name.dropFirst(prefix.count + 1)
            if rest.hasPrefix("_") {
                doubleForm[rest.dropFirst().uppercased()] = name
            } else {
                singleForm[rest.uppercased()] = name
            }
        }
        self.variables = variables
        self.singleForm = singleForm
        self.doubleForm = doubleForm
        values = Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.value) })
    }

    /// Normalizes a prefix such as `iam-apiserver` to `IAM_APISERVER`.
    static func normalizePrefix(_ prefix: String) -> String {
        var normalized = normalize(prefix)
        while normalized.hasSuffix("_") {
            normalized.removeLast()
        }
        return normalized
    }

    /// Returns the variables set for exactly `path`: none, one, or one of
    /// each form.
    func variables(at path: ConfigKeyPath) -> [(name: String, value: OverrideValue)] {
        let names = [singleForm[Self.key(path, separator: "_")], doubleForm[Self.key(path, separator: "__")]]
        return names.compactMap { name in name.flatMap { name in values[name].map { (name, $0) } } }
    }

    /// Returns whether a variable of either form sets a key below `path`.
    func hasVariable(below path: ConfigKeyPath) -> Bool {
        let single = Self.key(path, separator: "_") + "_"
        let double = Self.key(path, separator: "__") + "__"
        return singleForm.keys.contains { $0.hasPrefix(single) } || doubleForm.keys.contains { $0.hasPrefix(double) }
    }

    /// Returns the `_`-form name for `path`, such as `APP_SERVER_PORT`, or
    /// nil without a prefix.
    func name(for path: ConfigKeyPath) -> String? {
        prefix.map { "\($0)_\(Self.key(path, separator: "_"))" }
    }

    /// Returns the `__`-form name for `path`, such as `APP__SERVER__PORT`.
    func doubleUnderscoreName(for path: ConfigKeyPath) -> String? {
        prefix.map { "\($0)__\(Self.key(path, separator: "__"))" }
    }

    private static func key(_ path: ConfigKeyPath, separator: String) -> String {
        path.components.map { component in
            switch component {
            case .key(let key): normalize(key)
            case .index(let index): "\(index)"
            }
        }.joined(separator: separator)
    }

    private static func normalize(_ key: String) -> String {
        String(key.uppercased().map { $0 == "-" ? "_" : $0 })
    }
}
