import Foundation

/// Descriptions of the value a type expects, as error messages name it:
/// "an integer from 0 to 65535", "true or false", "one of debug, info,
/// error".
enum ExpectedValue {
    static let duration = "a duration such as 250ms, 5s or 1m30s"
    static let url = "an absolute URL such as http://127.0.0.1:8080"

    static func describe<Value>(_ type: Value.Type) -> String {
        if let integerType = type as? any FixedWidthInteger.Type {
            return integer(integerType)
        }
        if let enumType = type as? any (CaseIterable & RawRepresentable).Type {
            return oneOf(rawValues(of: enumType))
        }
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Double.Type, is Float.Type: return "a number"
        case is Duration.Type: return duration
        case is URL.Type: return url
        case is any ConfigSequenceDecodable.Type: return "a sequence"
        case is any ConfigMappingDecodable.Type: return "a mapping"
        default: return "a value of type \(type)"
        }
    }

    /// "an integer" for `Int` and `Int64`, unless `withRange`; "an integer
    /// from MIN to MAX" for other integer types.
    static func integer<Value: FixedWidthInteger>(_ type: Value.Type, withRange: Bool = false) -> String {
        if !withRange && (type == Int.self || type == Int64.self) {
            return "an integer"
        }
        return "an integer from \(Value.min) to \(Value.max)"
    }

    static func oneOf(_ values: [String]) -> String {
        "one of " + values.joined(separator: ", ")
    }

    static func rawValues<Value: CaseIterable & RawRepresentable>(of type: Value.Type) -> [String] {
        Value.allCases.map { "\($0.rawValue)" }
    }
}

/// Types decoded from a YAML sequence, for messages that name what is
/// missing.
protocol ConfigSequenceDecodable {}
extension Array: ConfigSequenceDecodable {}
extension Set: ConfigSequenceDecodable {}

/// Types decoded from a YAML mapping.
protocol ConfigMappingDecodable {}
extension Dictionary: ConfigMappingDecodable {}
