public import StratusHTTP

/// A request to a service, before an instance is picked for it.
///
/// The body is bytes rather than a stream, so that a retry can send it again.
public struct ServiceRequest: Sendable {
    public var method: HTTPMethod
    /// The path and query, starting with "/": `/v1/users/alice?fields=name`.
    public var path: String
    public var headers: HTTPFields
    public var body: [UInt8]
    /// Whether the request may be sent more than once. nil, the default,
    /// decides by method: GET, HEAD, PUT, DELETE, OPTIONS and TRACE are
    /// idempotent (RFC 9110, section 9.2.2). Other methods are only when
    /// the request has an `Idempotency-Key` header.
    public var isIdempotent: Bool?
    /// A key for consistent-hashing balancers (`maglev`), such as a user id;
    /// other balancers ignore it.
    public var hashKey: String?

    public init(
        method: HTTPMethod = .get,
        path: String,
        headers: HTTPFields = [:],
        body: [UInt8] = [],
        isIdempotent: Bool? = nil,
        hashKey: String? = nil
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.isIdempotent = isIdempotent
        self.hashKey = hashKey
    }

    /// The header that marks a request of any method as safe to repeat.
    public static let idempotencyKeyHeader = "Idempotency-Key"

    /// Whether a retry may send the request again after it may have reached
    /// the server.
    public var allowsRepeat: Bool {
        isIdempotent ?? (method.isIdempotent || headers.contains(Self.idempotencyKeyHeader))
    }
}
