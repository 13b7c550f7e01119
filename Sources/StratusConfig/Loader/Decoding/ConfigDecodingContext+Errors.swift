extension ConfigDecodingContext {
    /// Builds an error such as `config.yaml:12:9: server.port: expected an integer
    /// from 0 to 65535, found "80a"; fix the value in config.yaml or
    /// override it with APP_SERVER_PORT`.
    func invalidValue(_ value: ConfigValue, path: ConfigKeyPath, expected: String, hint: String? = nil) -> ConfigurationError {
        let detail = hint.map { " (\($0))" } ?? ""
        let message = "expected \(expected), found \(value.node.foundDescription)\(detail)"
        return error(.invalidValue, at: value.node.location, path: path, message: message, fix: fixHint(for: value.node.location.origin, path: path))
    }

    /// Builds the error for a value that the decoded type rejected with `reason`,
    /// such as `config.yaml:4:9: server.port: invalid value "0": must not
    /// be 0; fix the value in config.yaml or override it with
    /// APP_SERVER_PORT`.
    func invalid(_ value: ConfigValue, path: ConfigKeyPath, reason: String) -> ConfigurationError {
        let message = "invalid value \(value.node.foundDescription): \(reason)"
        return error(.invalidValue, at: value.node.location, path: path, message: message, fix: fixHint(for: value.node.location.origin, path: path))
    }

    /// Builds an error such as `config.yaml:3:3: server.port: missing; expected an
    /// integer from 0 to 65535; add it to config.yaml or set
    /// APP_SERVER_PORT`, located at the mapping that lacks the key.
    func missing(_ path: ConfigKeyPath, in parent: ConfigValue, expected: String) -> ConfigurationError {
        let location = parent.node.location
        let fix: String
        switch location.origin {
        case .file(let file):
            fix = "add it to \(file) or \(overrideHint(for: path))"
        case .none:
            fix = "add it to a config file or \(overrideHint(for: path))"
        case .environment(let variable):
            fix = "add it to the value of \(variable)"
        case .flag:
            fix = "add it to the flag's value"
        case .release:
            fix = Self.releaseFix
        }
        return error(.missingKey, at: location, path: path, message: "missing; expected \(expected)", fix: fix)
    }

    /// Builds the error for a sequence that has fewer elements than the decoded
    /// type reads.
    func tooFewElements(_ sequence: ConfigValue, path: ConfigKeyPath, count: Int) -> ConfigurationError {
        let message = "expected at least \(count + 1) elements, found \(count)"
        return error(.invalidValue, at: sequence.node.location, path: path, message: message, fix: fixHint(for: sequence.node.location.origin, path: path))
    }

    private func error(_ code: ConfigurationError.Code, at location: ConfigLocation, path: ConfigKeyPath, message: String, fix: String) -> ConfigurationError {
        let subject = path.components.isEmpty ? "" : "\(path): "
        let keyPath = path.components.isEmpty ? nil : path.description
        return ConfigurationError(code, keyPath: keyPath, "\(location.messagePrefix)\(subject)\(message); \(fix)")
    }

    private func fixHint(for origin: ConfigOrigin, path: ConfigKeyPath) -> String {
        switch origin {
        case .file(let file):
            path.components.isEmpty ? "fix \(file)" : "fix the value in \(file) or override it with \(overrideName(for: path))"
        case .none:
            "set it in a config file or \(overrideHint(for: path))"
        case .environment(let variable):
            "fix or unset \(variable)"
        case .flag:
            "fix the flag"
        case .release:
            Self.releaseFix
        }
    }

    private static let releaseFix = "fix the namespace in the config center and publish a new release"

    /// "set APP_SERVER_PORT", or "pass --set server.port=VALUE" without an
    /// environment prefix.
    private func overrideHint(for path: ConfigKeyPath) -> String {
        sources.environment.name(for: path).map { "set \($0)" } ?? "pass --set \(path)=VALUE"
    }

    private func overrideName(for path: ConfigKeyPath) -> String {
        sources.environment.name(for: path) ?? "--set \(path)=VALUE"
    }
}

extension ConfigNode {
    /// The node as an error message shows what was found: `"80a"`, `null`,
    /// `an empty value`, `a mapping`, `a sequence`.
    var foundDescription: String {
        switch content {
        case .mapping:
            return "a mapping"
        case .sequence:
            return "a sequence"
        case .scalar(let scalar):
            if scalar.style == .plain && scalar.tag == nil && CoreSchema.isNull(scalar.text) {
                return scalar.text.isEmpty ? "an empty value" : "null"
            }
            let maximumLength = 80
            let shown = scalar.text.count > maximumLength ? scalar.text.prefix(maximumLength) + "..." : scalar.text
            return shown.debugDescription
        }
    }
}
