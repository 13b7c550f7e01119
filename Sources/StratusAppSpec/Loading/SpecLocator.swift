import Foundation
import StratusKit

/// Finds where a field was written in an app spec file, to place the
/// problems that validation finds after decoding.
///
/// NOTE: `ConfigurationLoader` has no public lookup of a key's position, so
/// the locator decodes a type that always fails at the key path and reads
/// the `file:line:column` that starts the loader's error message.
struct SpecLocator {
    let loader: ConfigurationLoader

    /// Returns `problem` with the location of its field, or of the nearest
    /// enclosing field written in the file, such as the service of a
    /// default value that is out of range.
    func locate(_ problem: SpecProblem) -> SpecProblem {
        var located = problem
        var path = problem.field.map(SpecPath.init)
        while let current = path, !current.description.isEmpty {
            if let location = location(of: current) {
                located.location = location
                return located
            }
            path = current.parent
        }
        return located
    }

    private func location(of path: SpecPath) -> String? {
        do {
            _ = try loader.load(LocationProbe.self, at: path.description)
            return nil
        } catch {
            let text = error.description
            guard let range = text.range(of: ": \(path): ") else { return nil }
            return String(text[..<range.lowerBound])
        }
    }
}

/// A value that never decodes, so that the loader reports its position.
private struct LocationProbe: Decodable {
    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "position"))
    }
}
