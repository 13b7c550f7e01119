package import Foundation
package import StratusConfig

/// A temporary directory for config files, removed when released.
package final class ConfigFiles {
    package let directory: URL

    package init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `text` to `name` and returns the file's path.
    package func write(_ text: String, to name: String = "config.yaml") throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Writes `text` to `config.yaml` and returns a loader over it with the
    /// prefix `APP`.
    package func loader(
        _ text: String,
        environment: [String: String] = [:],
        prefix: String? = "APP",
        overrides: [String] = [],
        allowsUnknownKeys: Bool = false
    ) throws -> (ConfigurationLoader, path: String) {
        let path = try write(text)
        let loader = ConfigurationLoader(
            file: path, environment: environment, environmentPrefix: prefix, overrides: overrides, allowsUnknownKeys: allowsUnknownKeys
        )
        return (loader, path)
    }
}
