extension ConfigNode {
    /// The node as a JSON-model value, with plain scalars resolved by the
    /// YAML 1.2 core schema (so `8080` is an integer and `"8080"` a
    /// string), for schema validation.
    var documentValue: DocumentValue {
        let (line, column) = (location.line, location.column)
        switch content {
        case .scalar(let scalar):
            return DocumentValue(Self.resolve(scalar), line: line, column: column)
        case .sequence(let items):
            return DocumentValue(.array(items.map(\.documentValue)), line: line, column: column)
        case .mapping(let mapping):
            let members = mapping.entries.map { entry in
                DocumentMember(key: entry.key, line: entry.keyLocation.line, column: entry.keyLocation.column, value: entry.value.documentValue)
            }
            return DocumentValue(.object(members), line: line, column: column)
        }
    }

    private static func resolve(_ scalar: ConfigScalar) -> DocumentValue.Content {
        let tag = scalar.tag ?? (scalar.style == .plain ? nil : .string)
        let text = scalar.text
        switch tag {
        case .string:
            return .string(text)
        case .null:
            return .null
        case .boolean:
            return .bool(CoreSchema.bool(text) ?? false)
        case .integer:
            return integer(text)
        case .float:
            return .number(CoreSchema.float(text) ?? .nan)
        case nil:
            if CoreSchema.isNull(text) { return .null }
            if let value = CoreSchema.bool(text) { return .bool(value) }
            if CoreSchema.matches(text, .integer) { return integer(text) }
            if let value = CoreSchema.float(text) { return .number(value) }
            return .string(text)
        }
    }

    private static func integer(_ text: String) -> DocumentValue.Content {
        if case .value(let value) = CoreSchema.integer(text, as: Int64.self) {
            return .integer(value)
        }
        return .number(CoreSchema.float(text) ?? .nan)
    }
}
