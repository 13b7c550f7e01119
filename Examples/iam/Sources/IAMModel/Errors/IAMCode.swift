/// A business error code of the IAM API, with the HTTP status and the fixed
/// message that every response carrying it uses.
///
/// The values are those of marmotedu/iam v1 (its `marmotedu/errors` v1.0.2
/// registry), so upstream clients that switch on `code` keep working.
/// Responses never carry internal detail: `message` is always the text
/// registered here, and the detail goes to the log.
public struct IAMCode: Sendable, Hashable, CustomStringConvertible {
    public let code: Int
    public let status: Int
    public let message: String

    public init(code: Int, status: Int, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    public var description: String { "\(code) (\(message))" }
}

extension IAMCode {
    /// An error without a code reached the response writer. Its body also
    /// carries `reference`.
    public static let unknownError = IAMCode(code: 1, status: 500, message: "An internal server error occurred")
    /// The link that responses with code 1 carry in `reference`.
    public static let unknownErrorReference = "http://github.com/marmotedu/errors/README.md"

    public static let success = IAMCode(code: 100001, status: 200, message: "OK")
    public static let unknown = IAMCode(code: 100002, status: 500, message: "Internal server error")
    public static let bind = IAMCode(code: 100003, status: 400, message: "Error occurred while binding the request body to the struct")
    public static let validation = IAMCode(code: 100004, status: 400, message: "Validation failed")
    public static let tokenInvalid = IAMCode(code: 100005, status: 401, message: "Token invalid")
    public static let pageNotFound = IAMCode(code: 100006, status: 404, message: "Page not found")
    public static let database = IAMCode(code: 100101, status: 500, message: "Database error")
    public static let encrypt = IAMCode(code: 100201, status: 401, message: "Error occurred while encrypting the user password")
    public static let signatureInvalid = IAMCode(code: 100202, status: 401, message: "Signature is invalid")
    public static let expired = IAMCode(code: 100203, status: 401, message: "Token expired")
    public static let invalidAuthHeader = IAMCode(code: 100204, status: 401, message: "Invalid authorization header")
    public static let missingHeader = IAMCode(code: 100205, status: 401, message: "The `Authorization` header was empty")
    public static let passwordIncorrect = IAMCode(code: 100206, status: 401, message: "Password was incorrect")
    public static let permissionDenied = IAMCode(code: 100207, status: 403, message: "Permission denied")
    public static let userNotFound = IAMCode(code: 110001, status: 404, message: "User not found")
    public static let userAlreadyExist = IAMCode(code: 110002, status: 400, message: "User already exist")
    public static let reachMaxCount = IAMCode(code: 110101, status: 400, message: "Secret reach the max count")
    public static let secretNotFound = IAMCode(code: 110102, status: 404, message: "Secret not found")
    /// A Stratus extension: upstream has no code for a duplicate secret name.
    public static let secretAlreadyExist = IAMCode(code: 110103, status: 400, message: "Secret already exist")
    public static let policyNotFound = IAMCode(code: 110201, status: 404, message: "Policy not found")
    /// A Stratus extension: upstream has no code for a duplicate policy name.
    public static let policyAlreadyExist = IAMCode(code: 110202, status: 400, message: "Policy already exist")
}
