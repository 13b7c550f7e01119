/// The head of a request: request line and header fields.
public struct HTTPRequestHead: Sendable, Hashable {
    public var method: HTTPMethod
    /// The request target exactly as received (`/v1/users?offset=0`).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPFields

    public init(method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPFields = [:]) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// The target up to the `?`.
    public var path: Substring {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            return Substring(target)
        }
        return target[..<mark]
    }

    /// The text after the first `?`, or nil when the target has no query.
    public var query: Substring? {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            return nil
        }
        return target[target.utf8.index(after: mark)...]
    }
}

/// A request as a server handler sees it.
public struct Request: Sendable {
    public var head: HTTPRequestHead
    public var body: IncomingBody

    public init(head: HTTPRequestHead, body: IncomingBody = .empty) {
        self.head = head
        self.body = body
    }

    public var method: HTTPMethod {
        get { head.method }
        set { head.method = newValue }
    }

    public var headers: HTTPFields {
        get { head.headers }
        set { head.headers = newValue }
    }

    public var path: Substring { head.path }
    public var query: Substring? { head.query }
}
