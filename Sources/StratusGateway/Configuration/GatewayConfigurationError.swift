import Foundation

/// A configuration the gateway rejected, with every problem found.
///
/// Each problem names where it is (a route or upstream, the field and the
/// value) or, for a decoding problem, the file, line, column and key path.
public struct GatewayConfigurationError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The key path at fault, such as `routes[2].upstream`; nil when the
        /// problem is about the whole document.
        public var keyPath: String?
        public var message: String

        public init(keyPath: String?, message: String) {
            self.keyPath = keyPath
            self.message = Self.withoutOverrideHint(message)
        }

        /// Drops the loader's advice to override a value with `--set`,
        /// which `stratus gateway` does not take.
        private static func withoutOverrideHint(_ message: String) -> String {
            guard let range = message.range(of: " or override it with --set ") else { return message }
            let rest = message[range.upperBound...]
            let end = rest.firstIndex(where: { $0 == "\n" }) ?? rest.endIndex
            return String(message[..<range.lowerBound] + message[end...])
        }

        public var description: String { message }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        if problems.count == 1 {
            return "invalid gateway configuration: \(problems[0].message)"
        }
        return "invalid gateway configuration, \(problems.count) problems:\n  " + problems.map(\.message).joined(separator: "\n  ")
    }
}
