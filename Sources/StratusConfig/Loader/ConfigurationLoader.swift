import Foundation

/// Loads a service's configuration into its own `Decodable` types: a YAML
/// file, overridden by environment variables, overridden by `--set` flags.
///
/// ```swift
/// let commandLine = try CommandLineConfiguration.parse(Array(CommandLine.arguments.dropFirst()))
/// let loader = ConfigurationLoader(file: commandLine.file, environmentPrefix: "iam-apiserver", overrides: commandLine.overrides)
/// let server = try loader.load(ServerSettings.self, at: "server")
/// let settings = try loader.load(AppSettings.self)
/// try loader.checkUnknownKeys()
/// ```
///
/// - Precedence, highest first: a `--set` flag, an environment variable,
///   the file, then the defaults the decoded type declares. An override
///   replaces the whole value at its key path.
/// - Several loads may decode different parts of one loader's sources,
///   also concurrently. Each records the keys it read. `checkUnknownKeys()`,
///   called after the last load, reports the keys, variables and flags that
///   no load read, which catches typos such as `prot: 8080`.
/// - The initializer reads and parses the file at once. An error there
///   (unreadable file, invalid YAML, malformed override) is thrown by every
///   `load` and by `checkUnknownKeys()`.
public struct ConfigurationLoader: Sendable {
    let sources: Result<ConfigSources, ConfigurationError>
    let allowsUnknownKeys: Bool
    let readLog = ReadLog()

    /// - Parameters:
    ///   - file: The YAML file to read; nil for none, in which case only
    ///     overrides and defaults apply.
    ///   - environment: The variables to read overrides from; the process
    ///     environment by default.
    ///   - environmentPrefix: The prefix of override variables, such as the
    ///     service name: `iam-apiserver` reads `IAM_APISERVER_SERVER_PORT`
    ///     for `server.port` (upper-cased, `-` becomes `_`). Nil reads no
    ///     variables.
    ///   - overrides: `KEY=VALUE` strings such as `server.port=8080`, as
    ///     `--set` gives them; a later one wins over an earlier one for the
    ///     same key path.
    ///   - allowsUnknownKeys: Whether `checkUnknownKeys()` accepts keys that
    ///     no load read.
    public init(
        file: String?,
        environment: [String: String] = ConfigurationLoader.processEnvironment(),
        environmentPrefix: String? = nil,
        overrides: [String] = [],
        allowsUnknownKeys: Bool = false
    ) {
        sources = Result { () throws(ConfigurationError) in
            try ConfigSources(file: file, environment: environment, environmentPrefix: environmentPrefix, overrides: overrides)
        }
        self.allowsUnknownKeys = allowsUnknownKeys
    }

    @usableFromInline
    static func processEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment
    }

    /// Decodes the whole configuration as `type`.
    /// - Throws: `ConfigurationError` naming the key, its source and what
    ///   was expected.
    public func load<T: Decodable>(_ type: T.Type) throws(ConfigurationError) -> T {
        let sources = try sources.get()
        let context = ConfigDecodingContext(sources: sources)
        defer { readLog.merge(context.record) }
        return try context.decodeTopLevel(type, from: ConfigValue(node: sources.root, layer: .file), path: .root)
    }

    /// Decodes the subtree at a dotted key path, e.g. "log" → LoggingSettings; nil when absent.
    ///
    /// The key path is written like a `--set` key, such as `log` or
    /// `upstreams[0].tls`. A null value counts as absent. A section absent
    /// from the file but set below by an override, such as `log.level` by
    /// `APP_LOG_LEVEL`, is present.
    /// - Throws: `ConfigurationError`, with `.invalidKeyPath` when
    ///   `keyPath` is malformed.
    public func load<T: Decodable>(_ type: T.Type, at keyPath: String) throws(ConfigurationError) -> T? {
        let path: ConfigKeyPath
        do {
            path = try ConfigKeyPath(parsing: keyPath)
        } catch {
            throw ConfigurationError(.invalidKeyPath, keyPath: keyPath, "invalid key path \"\(keyPath)\": \(error.reason)")
        }
        let sources = try sources.get()
        let context = ConfigDecodingContext(sources: sources)
        defer { readLog.merge(context.record) }
        let root = ConfigValue(node: sources.root, layer: .file)
        guard let value = try context.descend(to: path, from: root, at: .root), !value.isNull else {
            return nil
        }
        return try context.decodeTopLevel(type, from: value, path: path)
    }
}
