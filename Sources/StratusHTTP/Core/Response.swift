/// The head of a response: status line and header fields.
public struct HTTPResponseHead: Sendable, Hashable {
    public var status: HTTPStatus
    public var version: HTTPVersion
    public var headers: HTTPFields

    public init(status: HTTPStatus, version: HTTPVersion = .http1_1, headers: HTTPFields = [:]) {
        self.status = status
        self.version = version
        self.headers = headers
    }
}

/// A response a server handler returns.
///
/// The server adds `Date`, `Content-Length` or `Transfer-Encoding`, and
/// `Connection` when the connection closes; handlers set the rest.
public struct Response: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPFields
    public var body: OutgoingBody
    /// Runs on the raw connection after a `101 Switching Protocols`
    /// response; see `switchingProtocols(headers:handler:)`. Nil otherwise.
    public var upgradeHandler: (@Sendable (UpgradedConnection) async -> Void)?

    public init(status: HTTPStatus = .ok, headers: HTTPFields = [:], body: OutgoingBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> Response {
        Response(
            status: status,
            headers: ["Content-Type": "text/plain; charset=utf-8"],
            body: OutgoingBody(bytes: Array(text.utf8))
        )
    }
}
