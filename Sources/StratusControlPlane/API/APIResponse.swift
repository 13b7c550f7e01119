import Foundation
import StratusDiscovery
import StratusHTTP

/// JSON responses and request bodies of the control-plane API.
enum APIResponse {
    /// The largest request body the API reads, 64 KiB: far above any
    /// registration, small enough that a bad client cannot exhaust memory.
    static let maxBodySize = 64 * 1024

    static func error(_ error: RegistryError) -> Response {
        let status: HTTPStatus = switch error.code {
        case .invalidArgument: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        }
        let validation = error.validation
        let body = APIErrorBody(error: .init(
            code: error.code.rawValue,
            message: error.message,
            field: validation?.field,
            value: validation?.value,
            expected: validation?.expected
        ))
        return (try? Response.json(body, status: status)) ?? Response(status: status)
    }

    /// Decodes a JSON body, failing with `invalidArgument` that names the
    /// field and what was wrong with it.
    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws(RegistryError) -> Value {
        let bytes: [UInt8]
        do {
            bytes = try await request.body.collect(upTo: maxBodySize)
        } catch {
            throw RegistryError(.invalidArgument, "request body larger than \(maxBodySize) bytes")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw RegistryError(.invalidArgument, "invalid JSON body: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> RegistryError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = (path(context.codingPath).isEmpty ? "" : path(context.codingPath) + ".") + key.stringValue
            return .invalid(ValidationError(field: field, value: "", expected: "a value: the field is required"))
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return .invalid(ValidationError(field: path(context.codingPath), value: "", expected: "a value of type \(type)"))
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field.isEmpty {
                return RegistryError(.invalidArgument, "invalid JSON body: \(context.debugDescription)")
            }
            return .invalid(ValidationError(field: field, value: "", expected: context.debugDescription))
        @unknown default:
            return RegistryError(.invalidArgument, "invalid JSON body: \(error)")
        }
    }
}
