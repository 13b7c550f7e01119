import Foundation
import StratusDiscovery

/// The message of an error response: the JSON error shape
/// `{"error":{"code","message"}}` that Stratus services send, or else the
/// body as text.
struct ServiceErrorBody {
    /// The maximum number of bytes of a text body quoted in a message.
    static let maxQuotedBytes = 512

    let code: String?
    let message: String

    init(_ body: [UInt8]) {
        if let decoded = try? JSONDecoder().decode(APIErrorBody.self, from: Data(body)) {
            code = decoded.error.code
            message = decoded.error.message
            return
        }
        code = nil
        let quoted = String(decoding: body.prefix(Self.maxQuotedBytes), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let cut = body.count > Self.maxQuotedBytes ? " (\(body.count) bytes, cut)" : ""
        message = quoted.isEmpty ? "empty body" : quoted + cut
    }
}
