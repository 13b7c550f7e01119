/// A response received by `HTTPClient`.
///
/// Read or collect `body` to the end: the connection returns to the pool only
/// then. A body left unread keeps its connection busy until the read timeout
/// closes it.
public struct HTTPClientResponse: Sendable {
    public var status: HTTPStatus
    public var version: HTTPVersion
    public var headers: HTTPFields
    public var body: IncomingBody

    public init(status: HTTPStatus, version: HTTPVersion = .http1_1, headers: HTTPFields = [:], body: IncomingBody = .empty) {
        self.status = status
        self.version = version
        self.headers = headers
        self.body = body
    }
}
