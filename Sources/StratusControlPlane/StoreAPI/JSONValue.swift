import Foundation

/// A JSON value as the gateway reads and writes it.
///
/// Objects keep their fields in order, so responses list fields in the order
/// of etcd's proto messages, as etcd's gateway does. Integers that fit in
/// Int64 stay exact, unlike a `Double`.
enum JSONValue: Sendable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// A number with a fraction or exponent, or one outside the Int64 range.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: FieldName.self) {
            var fields: [(name: String, value: JSONValue)] = []
            for key in object.allKeys {
                fields.append((key.stringValue, try object.decode(JSONValue.self, forKey: key)))
            }
            self = .object(JSONObject(fields: fields))
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !array.isAtEnd {
                elements.append(try array.decode(JSONValue.self))
            }
            self = .array(elements)
            return
        }
        self = try Self.decodeScalar(try decoder.singleValueContainer())
    }

    private static func decodeScalar(_ container: any SingleValueDecodingContainer) throws -> JSONValue {
        if container.decodeNil() { return .null }
        if let value = try? container.decode(Bool.self) { return .bool(value) }
        if let value = try? container.decode(Int64.self) { return .integer(value) }
        if let value = try? container.decode(Double.self) { return .number(value) }
        return .string(try container.decode(String.self))
    }

    /// Parses one JSON text. The error names the position of the fault when
    /// the parser reports it.
    static func parse(_ bytes: some Collection<UInt8>) throws(InvalidJSONError) -> JSONValue {
        let data = Data(bytes)
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw InvalidJSONError(reason: reasonForInvalid(data), text: String(decoding: data.prefix(120), as: UTF8.self))
        }
        return value
    }

    /// Returns why `data` is not JSON, from JSONSerialization, which reports
    /// the position of the fault where JSONDecoder does not.
    private static func reasonForInvalid(_ data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            if let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String {
                return reason
            }
        }
        return "not valid JSON"
    }

    /// The kind of value, for messages such as "expected a string, got a number".
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private struct FieldName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            return nil
        }
    }
}

/// Text that is not JSON, with the parser's reason.
struct InvalidJSONError: Error, Sendable {
    var reason: String
    /// The start of the text, for the message.
    var text: String
}
