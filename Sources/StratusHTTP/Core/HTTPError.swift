/// An error that becomes a response with a status: throw it from a handler to
/// answer with that status and message.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPStatus
    /// A message for the caller, sent as the response body.
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPStatus, message: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message ?? status.reasonPhrase
        self.headers = headers
    }

    public var description: String { "HTTP \(status.code): \(message)" }

    /// The response a server sends for this error: the message as plain text.
    public var response: Response {
        var response = Response.text(message + "\n", status: status)
        for field in headers {
            response.headers.append(field)
        }
        return response
    }
}
