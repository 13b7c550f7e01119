import Foundation

/// The JSON encoder and decoder of the IAM services, so every body and every
/// stored document has one form: compact, `/` not escaped, keys sorted.
/// Key order carries no meaning in the API; sorting makes the same value
/// always produce the same bytes.
public enum JSONCoding {
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Encodes a value as text. The caller promises that encoding cannot
    /// fail (no non-finite floating-point numbers), as for the resources of
    /// the API; a failure stops the process.
    public static func encodeToString(_ value: some Encodable) -> String {
        do {
            return String(decoding: try encode(value), as: UTF8.self)
        } catch {
            preconditionFailure("encoding \(type(of: value)) as JSON failed: \(error)")
        }
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from bytes: some Collection<UInt8>) throws -> Value {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
