/// One `KEY=VALUE` override, as `--set` gives it.
struct FlagOverride: Sendable {
    /// The `KEY=VALUE` text as given.
    let argument: String
    let path: ConfigKeyPath
    let value: OverrideValue

    /// Parses `server.port=8080`.
    /// - Throws: `ConfigurationError.Code.invalidOverride`.
    init(parsing argument: String, nextID: inout Int) throws(ConfigurationError) {
        let text: String
        do {
            (path, text) = try Self.split(argument)
        } catch {
            throw ConfigurationError(.invalidOverride, "invalid override \"\(argument)\": \(error.reason)")
        }
        self.argument = argument
        value = OverrideValue(text: text, origin: .flag(argument), nextID: &nextID)
    }

    /// Makes an override of `path` from a config-center item or properties
    /// line, whose errors name `origin`.
    init(path: ConfigKeyPath, text: String, origin: ConfigOrigin, line: Int, nextID: inout Int) {
        argument = "\(path)=\(text)"
        self.path = path
        value = OverrideValue(text: text, origin: origin, line: line, nextID: &nextID)
    }

    /// Splits `KEY=VALUE` at the first `=` and parses the key path.
    static func split(_ argument: String) throws(KeyPathSyntaxError) -> (path: ConfigKeyPath, value: String) {
        guard let equals = argument.firstIndex(of: "=") else {
            throw KeyPathSyntaxError(reason: "expected KEY=VALUE, such as server.port=8080")
        }
        let path = try ConfigKeyPath(parsing: String(argument[..<equals]))
        return (path, String(argument[argument.index(after: equals)...]))
    }
}
