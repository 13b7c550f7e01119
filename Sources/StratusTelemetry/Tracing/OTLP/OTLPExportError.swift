/// A batch that an OTLP exporter could not deliver, with a stable code and a
/// message naming the endpoint and the cause.
public struct OTLPExportError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The receiver rejected the batch with a status that is not retried
        /// (400, 401, 404, 413 and other 4xx, or a 5xx other than 502-504).
        case rejected
        /// Every attempt failed with a retryable status or connection error.
        case retriesExhausted
        /// The request could not be built, for example from an invalid endpoint URL.
        case invalidRequest
        /// The exporter was shut down.
        case shutdown
    }

    public var code: Code
    public var message: String
    /// The last HTTP status received, if any.
    public var status: Int?

    public init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
