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
            self.message = message
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
