import Foundation
import StratusConfig
import StratusHTTP

/// JSON responses and request bodies of the config-center API.
enum ConfigAPIResponse {
    /// The largest request body read, 4 MiB: a 1 MiB document written as a
    /// JSON string may take several times its size with escapes.
    static let maxBodySize = 4 << 20

    static func json(_ value: some Encodable, status: HTTPStatus = .ok) throws -> Response {
        Response(status: status, headers: ["Content-Type": "application/json"], body: OutgoingBody(bytes: try ConfigJSON.encode(value)))
    }

    static func error(_ error: ConfigCenterError) -> Response {
        let status: HTTPStatus = switch error.code {
        case .invalidArgument: .badRequest
        case .invalidContent: .unprocessableContent
        case .notFound: .notFound
        case .conflict: .conflict
        // Not 503: the key is missing on this replica, and a client that
        // fails over on 503 would hide the message.
        case .secretKeyUnavailable: .internalServerError
        case .unavailable, .invalidResponse: .serviceUnavailable
        }
        let body = (try? ConfigJSON.encode(ConfigErrorBody(error))) ?? []
        return Response(status: status, headers: ["Content-Type": "application/json"], body: OutgoingBody(bytes: body))
    }

    /// Decodes a JSON body, failing with `invalidArgument` that names the
    /// field and what was wrong with it.
    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws(ConfigCenterError) -> Value {
        let bytes: [UInt8]
        do {
            bytes = try await request.body.collect(upTo: maxBodySize)
        } catch {
            throw ConfigCenterError(.invalidArgument, "request body larger than \(maxBodySize) bytes; send a smaller document")
        }
        do {
            return try ConfigJSON.decode(type, from: bytes)
        } catch let error as DecodingError {
            throw ConfigCenterError(.invalidArgument, "invalid \(type) body: \(describe(error))")
        } catch {
            throw ConfigCenterError(.invalidArgument, "invalid \(type) body: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context.codingPath)
            return "missing the field \(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue)"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "the field \(path(context.codingPath)) must be a \(type)"
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return field.isEmpty ? "not JSON: \(context.debugDescription)" : "the field \(field) is invalid: \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
