import Foundation

/// One way a value fails a schema: where the value is, and why.
package struct SchemaViolation: Sendable, Hashable {
    /// The value's key path, such as `server.port` or `peers[2]`; empty for
    /// the top level.
    package var path: String
    package var line: Int
    package var column: Int
    package var reason: String

    /// `server.port: 70000 is above the maximum 65535`.
    package var description: String {
        path.isEmpty ? reason : "\(path): \(reason)"
    }
}

extension JSONSchema {
    /// Returns every violation, in document order, at most `limit`.
    package func validate(_ value: DocumentValue, limit: Int = 20) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        check(value, path: "", into: &violations, limit: limit)
        return violations
    }

    private func check(_ value: DocumentValue, path: String, into violations: inout [SchemaViolation], limit: Int) {
        for reason in reasons(for: value) where violations.count < limit {
            violations.append(SchemaViolation(path: path, line: value.line, column: value.column, reason: reason))
        }
        switch value.content {
        case .array(let elements):
            for (index, element) in elements.enumerated() where violations.count < limit {
                items?.check(element, path: path + "[\(index)]", into: &violations, limit: limit)
            }
        case .object(let members):
            checkMembers(members, path: path, into: &violations, limit: limit)
        default:
            break
        }
    }

    /// Returns the reasons the value itself fails, without its elements or members.
    private func reasons(for value: DocumentValue) -> [String] {
        guard acceptsValues else {
            return ["no value is allowed here (the schema is false)"]
        }
        if let types, !types.contains(value.typeName), !(value.typeName == "integer" && types.contains("number")) {
            let found = value.typeName == "array" || value.typeName == "object" ? Self.show(value) : "\(value.typeName) \(Self.show(value))"
            return ["expected \(types.sorted().joined(separator: " or ")), found \(found)"]
        }
        var reasons: [String] = []
        if let enumValues, !enumValues.contains(value) {
            reasons.append("\(Self.show(value)) is not one of \(enumValues.map(Self.show).joined(separator: ", "))")
        }
        if let constValue, constValue != value {
            reasons.append("expected \(Self.show(constValue)), found \(Self.show(value))")
        }
        switch value.content {
        case .integer, .number:
            reasons += numberReasons(value.numberValue!)
        case .string(let text):
            reasons += stringReasons(text)
        case .array(let elements):
            reasons += countReasons(elements.count)
        case .object(let members):
            let present = Set(members.map(\.key))
            reasons += required.filter { !present.contains($0) }.map { "missing the required key \"\($0)\"" }
        case .null, .bool:
            break
        }
        return reasons
    }

    private func numberReasons(_ number: Double) -> [String] {
        var reasons: [String] = []
        if let minimum, number < minimum {
            reasons.append("\(Self.format(number)) is below the minimum \(Self.format(minimum))")
        }
        if let maximum, number > maximum {
            reasons.append("\(Self.format(number)) is above the maximum \(Self.format(maximum))")
        }
        return reasons
    }

    private func stringReasons(_ text: String) -> [String] {
        var reasons: [String] = []
        // JSON Schema counts a string's length in Unicode code points.
        let length = text.unicodeScalars.count
        if let minLength, length < minLength {
            reasons.append("the string of \(length) characters is shorter than \(minLength)")
        }
        if let maxLength, length > maxLength {
            reasons.append("the string of \(length) characters is longer than \(maxLength)")
        }
        if let pattern, let expression = try? NSRegularExpression(pattern: pattern),
           expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
            reasons.append("\(Self.show(DocumentValue(.string(text)))) does not match the pattern \(pattern)")
        }
        return reasons
    }

    private func countReasons(_ count: Int) -> [String] {
        var reasons: [String] = []
        if let minItems, count < minItems {
            reasons.append("the array has \(count) items, fewer than \(minItems)")
        }
        if let maxItems, count > maxItems {
            reasons.append("the array has \(count) items, more than \(maxItems)")
        }
        return reasons
    }

    private func checkMembers(_ members: [DocumentMember], path: String, into violations: inout [SchemaViolation], limit: Int) {
        for member in members where violations.count < limit {
            let memberPath = path.isEmpty ? member.key : "\(path).\(member.key)"
            if let schema = properties.first(where: { $0.name == member.key })?.schema {
                schema.check(member.value, path: memberPath, into: &violations, limit: limit)
                continue
            }
            switch additionalProperties {
            case .allowed:
                break
            case .forbidden:
                violations.append(SchemaViolation(path: memberPath, line: member.line, column: member.column, reason: "the key is not allowed here (additionalProperties is false)"))
            case .schema(let schema):
                schema.check(member.value, path: memberPath, into: &violations, limit: limit)
            }
        }
    }

    /// Formats a value for a message: strings quoted, long text cut.
    static func show(_ value: DocumentValue) -> String {
        switch value.content {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return "\(number)"
        case .number(let number): return format(number)
        case .string(let text): return text.count > 60 ? "\"\(text.prefix(60))...\"" : "\"\(text)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? "\(Int64(number))" : "\(number)"
    }
}
