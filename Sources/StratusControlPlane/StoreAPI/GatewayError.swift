import StratusHTTP
import StratusStore

/// A failed request, answered as etcd's gateway answers it: the HTTP status
/// of the gRPC code and the body `{"error": M, "message": M, "code": N}`.
///
/// Errors that etcd defines (a compacted or future revision, a missing
/// lease) carry etcd's exact message, because clients match those strings.
/// Errors in the request itself carry a message that names the field and
/// the value at fault.
struct GatewayError: Error, Sendable, CustomStringConvertible {
    var code: GatewayStatusCode
    var message: String

    init(_ code: GatewayStatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "gateway error \(code.rawValue): \(message)" }

    /// Maps a store error to the gRPC code and message that etcd returns for it.
    init(_ error: StoreError) {
        switch error.code {
        case .compacted:
            self.init(.outOfRange, GatewayVocabulary.compactedMessage)
        case .futureRevision:
            self.init(.outOfRange, GatewayVocabulary.futureRevisionMessage)
        case .leaseNotFound:
            self.init(.notFound, GatewayVocabulary.leaseNotFoundMessage)
        case .invalidArgument:
            self.init(.invalidArgument, error.message)
        case .timedOut:
            // etcd reports an uncommitted write as Unavailable with this
            // message, which tells clients that the write may still apply.
            self.init(.unavailable, "\(GatewayVocabulary.requestTimedOutMessage): \(error.message)")
        default:
            self.init(.unavailable, "the store is unavailable: \(error.message)")
        }
    }

    /// The body of a failed unary request.
    var body: JSONValue {
        .object(JSONObject(fields: [
            ("error", .string(message)),
            ("message", .string(message)),
            ("code", .integer(Int64(code.rawValue))),
        ]))
    }

    /// The line of a streamed response (watch, keep-alive) that ends it with
    /// this error, in grpc-gateway v1's stream error shape.
    var streamLine: JSONValue {
        let status = code.httpStatus
        return .object(JSONObject(fields: [
            ("error", .object(JSONObject(fields: [
                ("grpc_code", .integer(Int64(code.rawValue))),
                ("http_code", .integer(Int64(status.code))),
                ("message", .string(message)),
                ("http_status", .string(status.reasonPhrase)),
            ]))),
        ]))
    }

    var response: Response {
        Response(
            status: code.httpStatus,
            headers: ["Content-Type": "application/json"],
            body: OutgoingBody(bytes: body.serialized)
        )
    }
}

extension GatewayError {
    /// A field of the request has the wrong type or an unusable value.
    static func invalidField(_ path: String, _ value: JSONValue, expected: String) -> GatewayError {
        GatewayError(.invalidArgument, "invalid field \(path): \(describe(value)) is not \(expected); fix the field or leave it out for its default")
    }

    /// A field of the request that this server does not implement.
    static func unsupported(_ path: String, _ reason: String) -> GatewayError {
        GatewayError(.unimplemented, "unsupported field \(path): \(reason)")
    }

    /// Returns a value as it appeared in the request, shortened for messages.
    static func describe(_ value: JSONValue) -> String {
        let text = String(decoding: value.serialized, as: UTF8.self)
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}
