public import StratusAppSpec

/// An error of the apps API, with the code that picks its HTTP status.
public struct AppError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidArgument = "invalid_argument"
        case notFound = "not_found"
        case conflict
        case unavailable
    }

    public let code: Code
    public let message: String
    /// For an invalid spec: every problem found in it.
    public let problems: [SpecProblem]

    public init(_ code: Code, _ message: String, problems: [SpecProblem] = []) {
        self.code = code
        self.message = message
        self.problems = problems
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func invalidSpec(_ error: AppSpecError) -> AppError {
        AppError(.invalidArgument, error.description, problems: error.problems)
    }
}
