/// An invalid policy configuration: the field at fault, the value found and
/// what was expected.
///
/// ```
/// invalid algorithms[1] "none": expected one of HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384
/// ```
///
/// Secret values (keys, passwords, HMAC secrets) appear as `[REDACTED]`.
public struct PolicyConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The dotted path of the field, relative to the plugin unless a caller
    /// added a prefix, such as `algorithms[1]` or `consumers[2].keyAuth[0].key`.
    public let field: String
    /// The value found, or nil when the field is missing.
    public let value: String?
    /// The expected content of the field, and what to do.
    public let expected: String

    public init(field: String, value: String?, expected: String) {
        self.field = field
        self.value = value
        self.expected = expected
    }

    /// Returns an error for a secret field, whose value is never shown.
    static func secret(field: String, expected: String) -> PolicyConfigurationError {
        PolicyConfigurationError(field: field, value: "[REDACTED]", expected: expected)
    }

    /// Returns the error with its field inside `prefix`, such as a plugin
    /// name or a route's key path: `jwt` and `algorithms[1]` give
    /// `jwt.algorithms[1]`.
    public func prefixed(_ prefix: String) -> PolicyConfigurationError {
        let joined = field.hasPrefix("[") ? prefix + field : prefix + "." + field
        return PolicyConfigurationError(field: joined, value: value, expected: expected)
    }

    public var description: String {
        guard let value else {
            return "missing \(field): expected \(expected)"
        }
        return "invalid \(field) \"\(value)\": expected \(expected)"
    }
}

extension Result where Failure == PolicyConfigurationError {
    /// Runs `body`, prefixing the field of an error it throws with `prefix`.
    static func prefixing(_ prefix: String, _ body: () throws(PolicyConfigurationError) -> Success) -> Self {
        do {
            return .success(try body())
        } catch {
            return .failure(error.prefixed(prefix))
        }
    }
}
