/// A failed client request, with a stable code and a message naming the value
/// at fault.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The request cannot be sent as given (bad URL, invalid header).
        case invalidRequest
        /// No connection could be opened.
        case connectFailed
        /// Connecting took longer than the connect timeout.
        case connectTimeout
        /// No response head arrived within the request timeout, or the body
        /// stalled longer than the read timeout.
        case timedOut
        /// The connection closed before the response was complete.
        case connectionClosed
        /// The peer sent bytes that are not a valid HTTP/1.1 response.
        case invalidResponse
        /// Every connection to the endpoint was busy for the whole wait.
        case poolExhausted
        /// The client was shut down.
        case shutdown
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
