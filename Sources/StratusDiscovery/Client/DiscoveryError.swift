/// An error from the control plane or from reaching it.
public struct DiscoveryError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The request was rejected as invalid; `detail` names the field.
        case invalidArgument = "invalid_argument"
        /// The instance is not registered (its lease expired or it left).
        case notFound = "not_found"
        case conflict
        /// No control-plane endpoint responded, or the store behind it failed.
        case unavailable
        /// The control plane sent a response this client cannot read.
        case invalidResponse = "invalid_response"
    }

    public let code: Code
    public let message: String
    /// The control plane's error body, when it sent one.
    public let detail: APIErrorBody.Detail?

    public init(_ code: Code, _ message: String, detail: APIErrorBody.Detail? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
