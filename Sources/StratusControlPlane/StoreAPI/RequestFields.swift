import Foundation

/// The fields of one request object, read with the gateway's JSON mapping
/// of proto3 and checked strictly: a field of the wrong type fails with
/// `invalidArgument` naming the field's path and its value.
///
/// As in etcd's gateway, a missing or null field has its zero value, int64
/// fields take a decimal string or a JSON integer, bytes fields take
/// standard base64, and enum fields take the value's name or number.
/// Unknown fields are ignored.
struct RequestFields {
    /// The path of this object in the request, such as `compare[0]`, for
    /// messages. Empty for the request itself.
    let path: String
    private let object: JSONObject

    init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    /// Reads the request body as one object, or throws naming what is wrong.
    /// An empty body is an empty object, as in etcd's gateway.
    init(body: [UInt8]) throws(GatewayError) {
        guard body.contains(where: { !Self.isWhitespace($0) }) else {
            self.init(JSONObject())
            return
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            throw GatewayError(.invalidArgument, "invalid JSON in the request body (\(error.reason)): \(error.text); send one JSON object, such as {\"key\": \"Zm9v\"}")
        }
        guard case .object(let object) = value else {
            throw GatewayError(.invalidArgument, "invalid request body: \(GatewayError.describe(value)) is \(value.kindName); send one JSON object, such as {\"key\": \"Zm9v\"}")
        }
        self.init(object)
    }

    /// Returns the full path of a field, such as `compare[0].key`.
    func fieldPath(_ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }

    /// Whether the field is present and not null.
    func contains(_ name: String) -> Bool {
        switch object[name] {
        case nil, .null?: false
        default: true
        }
    }

    func bool(_ name: String) throws(GatewayError) -> Bool {
        switch object[name] {
        case nil, .null?: return false
        case .bool(let value)?: return value
        case let other?: throw .invalidField(fieldPath(name), other, expected: "a boolean (true or false)")
        }
    }

    func int64(_ name: String) throws(GatewayError) -> Int64 {
        let value = object[name]
        switch value {
        case nil, .null?:
            return 0
        case .integer(let number)?:
            return number
        case .string(let text)?:
            if let number = Int64(text) {
                return number
            }
        default:
            break
        }
        throw .invalidField(fieldPath(name), value ?? .null, expected: "an int64 (a decimal string such as \"10\", or an integer)")
    }

    func bytes(_ name: String) throws(GatewayError) -> [UInt8] {
        switch object[name] {
        case nil, .null?:
            return []
        case .string(let text)?:
            guard let data = Data(base64Encoded: text) else {
                throw .invalidField(fieldPath(name), .string(text), expected: "base64 (standard alphabet with padding, such as \"Zm9v\" for foo)")
            }
            return [UInt8](data)
        case let other?:
            throw .invalidField(fieldPath(name), other, expected: "a base64 string, such as \"Zm9v\" for foo")
        }
    }

    /// Reads an enum field given by name or number. `names` lists the
    /// names by proto number.
    func enumeration(_ name: String, names: [String]) throws(GatewayError) -> Int {
        try Self.enumeration(object[name], path: fieldPath(name), names: names)
    }

    /// Reads an enum value, such as an element of a repeated enum field.
    static func enumeration(_ value: JSONValue?, path: String, names: [String]) throws(GatewayError) -> Int {
        let expected = "one of " + names.joined(separator: ", ") + " (or its number from 0 to \(names.count - 1))"
        switch value {
        case nil, .null?:
            return 0
        case .string(let text)?:
            guard let index = names.firstIndex(of: text) else {
                throw .invalidField(path, .string(text), expected: expected)
            }
            return index
        case .integer(let number)? where number >= 0 && number < names.count:
            return Int(number)
        case let other?:
            throw .invalidField(path, other, expected: expected)
        }
    }

    /// Reads a nested message, nil when absent.
    func object(_ name: String) throws(GatewayError) -> RequestFields? {
        switch object[name] {
        case nil, .null?:
            return nil
        case .object(let nested)?:
            return RequestFields(nested, path: fieldPath(name))
        case let other?:
            throw .invalidField(fieldPath(name), other, expected: "an object")
        }
    }

    /// Reads a repeated field's elements, empty when absent.
    func array(_ name: String) throws(GatewayError) -> [JSONValue] {
        switch object[name] {
        case nil, .null?:
            return []
        case .array(let elements)?:
            return elements
        case let other?:
            throw .invalidField(fieldPath(name), other, expected: "an array")
        }
    }

    /// Reads a repeated message field.
    func objects(_ name: String) throws(GatewayError) -> [RequestFields] {
        var result: [RequestFields] = []
        for (index, element) in try array(name).enumerated() {
            let elementPath = "\(fieldPath(name))[\(index)]"
            guard case .object(let nested) = element else {
                throw .invalidField(elementPath, element, expected: "an object")
            }
            result.append(RequestFields(nested, path: elementPath))
        }
        return result
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
