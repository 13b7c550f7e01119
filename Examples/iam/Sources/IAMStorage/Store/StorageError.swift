/// A storage failure. `duplicate` and `limitReached` are client mistakes
/// the API maps to 4xx codes; `unavailable` is a server fault (code 100101).
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// A unique name or id is taken.
        case duplicate
        /// The owner already has the maximum number of secrets.
        case limitReached
        /// The database failed or cannot be reached.
        case unavailable
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
