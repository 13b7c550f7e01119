import Foundation
import StratusKit

/// Loads and validates `stratus.yaml`, reporting every problem at once.
///
/// ```swift
/// let file = try AppSpecLoader.load(path: "stratus.yaml")
/// print(file.spec.services.map(\.name))
/// ```
///
/// One load collects three kinds of problem, each with the file, line,
/// column and field. The first kind is a value of the wrong type or form
/// (`replicas: many`). The second is an unknown field (`replcas: 2`), shown
/// with the nearest known field. The third is a value that validation
/// rejects (`replicas: -1`, a dependency cycle). A YAML syntax error stops
/// the load at once, with its position.
public enum AppSpecLoader {
    /// The file name used when none is given.
    public static let defaultFile = "stratus.yaml"

    /// Loads the app spec at `path`.
    ///
    /// - Parameter overrides: `KEY=VALUE` strings, as `--set` gives them,
    ///   that replace values of the file, such as `services[0].replicas=3`.
    /// - Throws: `AppSpecError` listing every problem.
    public static func load(path: String, overrides: [String] = []) throws(AppSpecError) -> AppSpecFile {
        let loader = ConfigurationLoader(file: path, environment: [:], environmentPrefix: nil, overrides: overrides)
        let collector = ProblemCollector()
        let decoded: AppSpec?
        do {
            decoded = try ProblemCollector.$current.withValue(collector) { try loader.load(AppSpec.self) }
        } catch {
            decoded = nil
            collector.record(error)
        }
        var problems = collector.recorded.map(problem)
        problems += loader.unknownKeys().map { SpecProblem(field: nil, "unknown field \($0)") }
        if let decoded {
            // A field that did not decode contains a placeholder. Its
            // validation problem would repeat the decoding problem.
            let undecoded = Set(collector.recorded.compactMap { ($0 as? ConfigurationError)?.keyPath })
            let locator = SpecLocator(loader: loader)
            problems += decoded.validate(skipping: collector.skippedServices)
                .filter { !undecoded.contains($0.field ?? "") }
                .map(locator.locate)
        }
        guard let decoded, problems.isEmpty else {
            throw AppSpecError(source: path, problems: problems)
        }
        return AppSpecFile(path: path, spec: decoded)
    }

    /// Turns an error of the configuration loader, whose description already
    /// names the file, line and key, into a problem.
    private static func problem(_ error: any Error) -> SpecProblem {
        guard let error = error as? ConfigurationError else {
            return SpecProblem(field: nil, "\(error)")
        }
        return SpecProblem(field: nil, error.description)
    }
}

/// An app spec with the file it was read from, which relative paths in it
/// are resolved against.
public struct AppSpecFile: Sendable {
    /// The file's path as given.
    public var path: String
    public var spec: AppSpec

    public init(path: String, spec: AppSpec) {
        self.path = path
        self.spec = spec
    }

    /// The absolute directory of the file.
    public var directory: String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        return url.deletingLastPathComponent().path
    }
}
