extension ConfigurationLoader {
    /// Throws when the file has keys, or the environment and flags set key
    /// paths, that no `load` call on this loader read so far.
    ///
    /// Call it once, after every part of the service has loaded its
    /// settings. The error (code `.unknownKeys`) lists every unknown entry
    /// on its own line, with its location and the nearest key that was read:
    ///
    /// ```
    /// 2 unknown configuration keys, which no part of the service reads; fix their spelling or remove them:
    ///   config.yaml:4:3: server.prot; did you mean server.port?
    ///   environment variable APP_TRACNG_ENABLED; did you mean APP_TRACING_ENABLED?
    /// ```
    ///
    /// Returns normally when the loader allows unknown keys.
    /// - Throws: `ConfigurationError`; also the error that every `load`
    ///   throws when the file could not be read or parsed.
    public func checkUnknownKeys() throws(ConfigurationError) {
        let lines = try unknownKeyLines()
        guard !allowsUnknownKeys, !lines.isEmpty else { return }
        let summary = lines.count == 1
            ? "1 unknown configuration key, which no part of the service reads; fix its spelling or remove it:"
            : "\(lines.count) unknown configuration keys, which no part of the service reads; fix their spelling or remove them:"
        let description = summary + "\n  " + lines.joined(separator: "\n  ")
        throw ConfigurationError(.unknownKeys, description)
    }

    /// Returns the entries that `checkUnknownKeys()` reports, one line each.
    /// It returns them also when the loader allows unknown keys, so that
    /// they can be logged as warnings. It returns none when the sources could
    /// not be read.
    public func unknownKeys() -> [String] {
        (try? unknownKeyLines()) ?? []
    }

    private func unknownKeyLines() throws(ConfigurationError) -> [String] {
        UnknownKeyReport(sources: try sources.get(), record: readLog.snapshot).lines
    }
}
