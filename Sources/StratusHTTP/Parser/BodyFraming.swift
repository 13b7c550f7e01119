/// How the end of a message body is found (RFC 9112, section 6.3).
public enum BodyFraming: Sendable, Hashable {
    case none
    case contentLength(Int64)
    case chunked
    /// The body ends when the peer closes the connection; responses only.
    case untilClose
}
