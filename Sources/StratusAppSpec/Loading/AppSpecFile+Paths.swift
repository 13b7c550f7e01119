import Foundation

extension AppSpecFile {
    /// Returns the spec with every path made absolute, so that it means the
    /// same to a process with another working directory, such as the one
    /// that runs the replicas:
    ///
    /// - `build.packagePath`: relative to the spec's directory; when absent,
    ///   the nearest directory at or above it with a Package.swift, or the
    ///   spec's directory.
    /// - a service's `command`, when it contains a `/`, and its
    ///   `workingDirectory`: relative to the spec's directory, which is also
    ///   the default working directory. A command without `/` is looked up
    ///   in PATH.
    public func resolvingPaths() -> AppSpec {
        var spec = self.spec
        let base = directory
        spec.build.packagePath = spec.build.packagePath.map { Self.absolute($0, base: base) } ?? Self.packageDirectory(above: base) ?? base
        for index in spec.services.indices {
            if let command = spec.services[index].command, command.contains("/") {
                spec.services[index].command = Self.absolute(command, base: base)
            }
            spec.services[index].workingDirectory = Self.absolute(spec.services[index].workingDirectory ?? ".", base: base)
        }
        return spec
    }

    static func absolute(_ path: String, base: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: base).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// Returns the nearest directory at or above `directory` that contains a
    /// Package.swift.
    static func packageDirectory(above directory: String) -> String? {
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }
}
