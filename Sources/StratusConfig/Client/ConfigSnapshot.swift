/// The values of one release, decodable into the service's own types with
/// the configuration decoder, so that errors name the release, the key and,
/// for a document, the line.
///
/// Key-value items and properties are read like `--set` flags: a value is
/// text that the type it is decoded as reads (`true` as `Bool`, `5s` as
/// `Duration`, `[a, b]` as an array), and dotted keys nest. YAML and JSON
/// documents are read like a configuration file.
public struct ConfigSnapshot: Sendable {
    /// The release, nil when none is published for the instance.
    public let release: Release?
    let loader: ConfigurationLoader

    /// - Parameter name: the namespace, for messages when `release` is nil.
    /// - Throws: `ConfigurationError` when a document does not parse or a
    ///   key is not a key path.
    init(release: Release?, name: String) throws(ConfigurationError) {
        self.release = release
        loader = ConfigurationLoader(sources: try Self.sources(for: release, name: name))
    }

    /// Returns an empty snapshot: no release.
    static func empty(_ name: String) -> ConfigSnapshot {
        // A nil release gives an empty mapping, which has nothing to parse.
        try! ConfigSnapshot(release: nil, name: name)
    }

    /// Decodes the whole namespace as `type`.
    public func decode<T: Decodable>(_ type: T.Type) throws(ConfigurationError) -> T {
        try loader.load(type)
    }

    /// Decodes the value at a dotted key such as `feature.newCheckout`;
    /// nil when the key is absent or null.
    public func value<T: Decodable>(_ key: String, as type: T.Type) throws(ConfigurationError) -> T? {
        try loader.load(type, at: key)
    }

    /// Returns the value at a key as text, nil when the key is absent or is not a
    /// single value.
    public func string(_ key: String) -> String? {
        try? loader.load(String.self, at: key)
    }
}

extension ConfigurationLoader {
    /// Makes a loader of a release's values, which tolerates keys the
    /// service does not read.
    init(sources: ConfigSources) {
        self.sources = .success(sources)
        allowsUnknownKeys = true
    }
}
