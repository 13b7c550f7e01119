#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Response {
    /// A response with `value` encoded as JSON (`application/json`).
    ///
    /// Keys are sorted, so the same value always produces the same bytes.
    /// Throws the encoder's `EncodingError`, for example for a non-finite
    /// floating-point number.
    public static func json(_ value: some Encodable, status: HTTPStatus = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: ["Content-Type": "application/json"],
            body: OutgoingBody(bytes: Array(data))
        )
    }
}
