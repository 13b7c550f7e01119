/// A parsed document value, JSON's data model, with the 1-based line and
/// column where it starts in the text. Line 0 means the value has no place
/// in a text, as for a key-value item.
///
/// JSON, YAML and properties documents all parse into it, so that one
/// schema validator and one decoder serve every format.
package struct DocumentValue: Sendable {
    package enum Content: Sendable {
        case null
        case bool(Bool)
        case integer(Int64)
        /// A number with a fraction or exponent, or outside the Int64 range.
        case number(Double)
        case string(String)
        case array([DocumentValue])
        /// The members in the order written; keys are unique.
        case object([DocumentMember])
    }

    package var content: Content
    package var line: Int
    package var column: Int

    package init(_ content: Content, line: Int = 0, column: Int = 0) {
        self.content = content
        self.line = line
        self.column = column
    }

    /// The value of `key` when this is an object that has it.
    package subscript(key: String) -> DocumentValue? {
        guard case .object(let members) = content else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The number, for an integer or a number.
    package var numberValue: Double? {
        switch content {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The JSON type name of the value, as JSON Schema's `type` names it.
    /// An integral number is an integer, as JSON Schema specifies.
    package var typeName: String {
        switch content {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number(let value): value.rounded() == value && value.isFinite ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// One member of an object: its key, where the key is written, and its value.
package struct DocumentMember: Sendable {
    package var key: String
    package var line: Int
    package var column: Int
    package var value: DocumentValue

    package init(key: String, line: Int = 0, column: Int = 0, value: DocumentValue) {
        self.key = key
        self.line = line
        self.column = column
        self.value = value
    }
}

extension DocumentValue: Equatable {
    /// Compares as JSON values: numbers by value (1 equals 1.0), objects
    /// regardless of member order, and places ignored.
    package static func == (lhs: DocumentValue, rhs: DocumentValue) -> Bool {
        switch (lhs.content, rhs.content) {
        case (.null, .null):
            return true
        case (.bool(let left), .bool(let right)):
            return left == right
        case (.string(let left), .string(let right)):
            return left == right
        case (.array(let left), .array(let right)):
            return left == right
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            return left.allSatisfy { member in rhs[member.key] == member.value }
        default:
            guard let left = lhs.numberValue, let right = rhs.numberValue else { return false }
            return left == right
        }
    }
}
