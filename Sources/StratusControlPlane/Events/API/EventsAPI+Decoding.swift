import Foundation
import StratusEvents
import StratusHTTP

extension EventsAPI {
    /// Decodes a JSON body, failing with `invalidArgument` that names the
    /// field; with `emptyAllowed`, an empty body decodes to nil.
    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request, emptyAllowed: Bool) async throws(EventBusError) -> Value? {
        let bytes: [UInt8]
        do {
            bytes = try await request.body.collect(upTo: maxBodySize)
        } catch {
            throw EventBusError(.invalidArgument, "request body larger than \(maxBodySize) bytes")
        }
        if bytes.isEmpty && emptyAllowed {
            return nil
        }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, _) {
            throw EventBusError(.invalidArgument, "invalid JSON body: field \(key.stringValue) is required")
        } catch let DecodingError.typeMismatch(type, context) {
            throw EventBusError(.invalidArgument, "invalid JSON body: field \(path(context.codingPath)) must be of type \(type)")
        } catch {
            throw EventBusError(.invalidArgument, "invalid JSON body: \(error)")
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws(EventBusError) -> Value {
        try await decode(type, from: request, emptyAllowed: false)!
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
