public import IAMModel
public import StratusHTTP

/// The response forms both IAM HTTP servers share.
public enum IAMResponses {
    public static let contentType = "application/json; charset=utf-8"

    /// Returns a response with `value` as compact JSON.
    public static func json(_ value: some Encodable, status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": contentType], body: OutgoingBody(bytes: Array(JSONCoding.encodeToString(value).utf8)))
    }

    /// Returns a `200` with the JSON literal `null`, the body of deletes,
    /// change-password and logout.
    public static func null() -> Response {
        Response(status: .ok, headers: ["Content-Type": contentType], body: OutgoingBody(bytes: Array("null".utf8)))
    }

    /// Returns the error body `{"code":…,"message":…}` with the code's
    /// status. Code 1 also carries `reference`.
    public static func error(_ code: IAMCode) -> Response {
        json(ErrorBody(code: code), status: HTTPStatus(code: code.status))
    }
}

/// The standard error body.
public struct ErrorBody: Codable, Sendable {
    public var code: Int
    public var message: String
    public var reference: String?

    public init(code: IAMCode) {
        self.code = code.code
        message = code.message
        reference = code == .unknownError ? IAMCode.unknownErrorReference : nil
    }
}
