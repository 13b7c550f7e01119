/// An error that becomes an IAM error response: the code decides the status
/// and the message, and `detail` is logged but never sent.
public struct IAMError: Error, Sendable, CustomStringConvertible {
    public let code: IAMCode
    /// What went wrong, for the log: the value at fault and what was expected.
    public let detail: String

    public init(_ code: IAMCode, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.code) \(code.message): \(detail)" }
}
