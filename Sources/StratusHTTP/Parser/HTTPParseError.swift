/// A message the parser rejected, with the status a server answers and the
/// reason, which names the value at fault.
public struct HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: HTTPStatus
    public var reason: String

    public init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.code) \(status.reasonPhrase): \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError {
        HTTPParseError(.badRequest, reason)
    }
}

/// Renders a byte for an error message: printable ASCII as itself, anything else as hex.
func describeByte(_ byte: UInt8) -> String {
    (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16, uppercase: true)
}

/// Renders bytes for an error message, escaping what is not printable and
/// cutting long values so that an attacker cannot flood the logs.
func describeBytes(_ bytes: some Collection<UInt8>, limit: Int = 64) -> String {
    var text = "\""
    for byte in bytes.prefix(limit) {
        if (0x20...0x7E).contains(byte) && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
            text.append(Character(Unicode.Scalar(byte)))
        } else {
            text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
    }
    text += bytes.count > limit ? "\"..." : "\""
    return text
}
