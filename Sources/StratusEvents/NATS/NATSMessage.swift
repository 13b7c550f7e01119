/// A message the server sent: `MSG` or `HMSG`.
struct NATSMessage: Sendable {
    var subject: String
    var sid: String
    var replyTo: String?
    /// The status code of a header-only status message, such as 404 or 408
    /// for an empty or expired pull request; nil for a normal message.
    var status: Int?
    var statusDescription: String = ""
    var headers: [String: String] = [:]
    var payload: [UInt8]
}

/// What the server sent, parsed.
enum NATSServerOperation: Sendable {
    case info(String)
    case message(NATSMessage)
    case ping
    case pong
    case ok
    case error(String)
}
