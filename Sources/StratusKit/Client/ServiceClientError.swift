/// A failed call of `ServiceClient`, with a stable code and a message
/// naming the service, the values at fault and what to check.
public struct ServiceClientError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Discovery has no UP instance of the service.
        case noInstances = "no_instances"
        /// Every UP instance's circuit breaker rejected the request.
        case circuitOpen = "circuit_open"
        /// The total timeout or the caller's deadline passed.
        case deadlineExceeded = "deadline_exceeded"
        /// No attempt got a response (connection failures, timeouts), and no
        /// further attempt was allowed.
        case requestFailed = "request_failed"
        /// The service responded with a status the call does not accept
        /// (a non-2xx status, for the JSON helpers).
        case unexpectedStatus = "unexpected_status"
        /// The request body could not be encoded as JSON.
        case encodingFailed = "encoding_failed"
        /// The response body could not be decoded as the expected type.
        case decodingFailed = "decoding_failed"
        /// The request cannot be sent as given, such as a path without a
        /// leading "/".
        case invalidRequest = "invalid_request"
        /// An endpoint or setting given to the client is invalid.
        case invalidConfiguration = "invalid_configuration"
        /// The calling task was cancelled.
        case cancelled
        /// The client was shut down.
        case shutDown = "shut_down"
    }

    public let code: Code
    /// The service called.
    public let service: String
    public let message: String
    /// The response status, for `unexpectedStatus`.
    public let status: Int?
    /// The `error.code` of the service's JSON error body, when it sent one.
    public let serverCode: String?
    /// Attempts sent to instances before the call failed.
    public let attempts: Int

    public init(_ code: Code, service: String, _ message: String, status: Int? = nil, serverCode: String? = nil, attempts: Int = 0) {
        self.code = code
        self.service = service
        self.message = message
        self.status = status
        self.serverCode = serverCode
        self.attempts = attempts
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
