import Foundation

extension JSONSchema {
    static let typeNames: Set<String> = ["null", "boolean", "object", "array", "number", "integer", "string"]
    static let annotations: Set<String> = ["$schema", "$id", "$comment", "title", "description", "default", "examples"]
    static let supportedKeywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minimum", "maximum",
        "minLength", "maxLength", "pattern", "minItems", "maxItems",
    ]

    static func invalid(_ value: DocumentValue, _ reason: String) -> ContentProblem {
        ContentProblem(line: value.line, column: value.column, reason: reason)
    }

    /// Returns the schema object's keywords, rejecting the ones outside the
    /// supported subset.
    static func keywords(of value: DocumentValue) throws(ContentProblem) -> [String: DocumentValue] {
        guard case .object(let members) = value.content else {
            throw invalid(value, "a schema must be an object, true or false; found \(value.typeName)")
        }
        var keywords: [String: DocumentValue] = [:]
        for member in members {
            if annotations.contains(member.key) { continue }
            guard supportedKeywords.contains(member.key) else {
                let supported = supportedKeywords.sorted().joined(separator: ", ")
                throw ContentProblem(line: member.line, column: member.column, reason: "unsupported schema keyword \"\(member.key)\"; the config center supports \(supported)")
            }
            keywords[member.key] = member.value
        }
        return keywords
    }

    static func parseTypes(_ value: DocumentValue?) throws(ContentProblem) -> Set<String>? {
        guard let value else { return nil }
        let names: [String]
        if case .string(let name) = value.content {
            names = [name]
        } else {
            names = try parseStrings(value, keyword: "type") ?? []
        }
        for name in names where !typeNames.contains(name) {
            throw invalid(value, "unknown type \"\(name)\"; expected one of \(typeNames.sorted().joined(separator: ", "))")
        }
        return Set(names)
    }

    static func parseProperties(_ value: DocumentValue?) throws(ContentProblem) -> [(name: String, schema: JSONSchema)] {
        guard let value else { return [] }
        guard case .object(let members) = value.content else {
            throw invalid(value, "properties must be an object of schemas")
        }
        var properties: [(name: String, schema: JSONSchema)] = []
        for member in members {
            properties.append((member.key, try JSONSchema(value: member.value)))
        }
        return properties
    }

    static func parseAdditionalProperties(_ value: DocumentValue?) throws(ContentProblem) -> AdditionalProperties {
        guard let value else { return .allowed }
        if case .bool(let allowed) = value.content {
            return allowed ? .allowed : .forbidden
        }
        return .schema(try JSONSchema(value: value))
    }

    static func parseStrings(_ value: DocumentValue?, keyword: String) throws(ContentProblem) -> [String]? {
        guard let value else { return nil }
        guard case .array(let elements) = value.content else {
            throw invalid(value, "\(keyword) must be an array of strings")
        }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element.content else {
                throw invalid(element, "\(keyword) must be an array of strings; found \(element.typeName)")
            }
            strings.append(text)
        }
        return strings
    }

    static func parseEnum(_ value: DocumentValue?) throws(ContentProblem) -> [DocumentValue]? {
        guard let value else { return nil }
        guard case .array(let elements) = value.content, !elements.isEmpty else {
            throw invalid(value, "enum must be a non-empty array of values")
        }
        return elements
    }

    static func parseNumber(_ value: DocumentValue?, keyword: String) throws(ContentProblem) -> Double? {
        guard let value else { return nil }
        guard let number = value.numberValue else {
            throw invalid(value, "\(keyword) must be a number; found \(value.typeName)")
        }
        return number
    }

    static func parseCount(_ value: DocumentValue?, keyword: String) throws(ContentProblem) -> Int? {
        guard let value else { return nil }
        guard let number = value.numberValue, number >= 0, number.rounded() == number, number <= Double(Int32.max) else {
            throw invalid(value, "\(keyword) must be a non-negative integer")
        }
        return Int(number)
    }

    static func parsePattern(_ value: DocumentValue?) throws(ContentProblem) -> String? {
        guard let value else { return nil }
        guard case .string(let pattern) = value.content else {
            throw invalid(value, "pattern must be a string holding a regular expression")
        }
        guard (try? NSRegularExpression(pattern: pattern)) != nil else {
            throw invalid(value, "pattern \"\(pattern)\" is not a valid regular expression")
        }
        return pattern
    }
}
