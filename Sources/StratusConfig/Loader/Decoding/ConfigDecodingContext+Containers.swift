extension ConfigDecodingContext {
    /// Returns the mapping a keyed container reads, and the value it belongs
    /// to.
    ///
    /// Null is an empty mapping, so a section with every line commented out
    /// decodes with its defaults. An override's text is parsed as a flow
    /// mapping here.
    func mapping(of value: ConfigValue, path: ConfigKeyPath) throws(ConfigurationError) -> (ConfigMapping, ConfigValue) {
        let structured = try structuredValue(of: value, path: path, expected: "a mapping")
        switch structured.node.content {
        case .mapping(let mapping):
            record.openedNodes.insert(structured.node.id)
            return (mapping, structured)
        case .scalar:
            return (ConfigMapping(), structured)
        case .sequence:
            throw invalidValue(structured, path: path, expected: "a mapping")
        }
    }

    /// Returns the elements an unkeyed container reads, and the value they
    /// belong to. Null, and a section present only through overrides below it,
    /// are an empty sequence.
    func sequence(of value: ConfigValue, path: ConfigKeyPath) throws(ConfigurationError) -> ([ConfigNode], ConfigValue) {
        if value.isSynthesized {
            return ([], value)
        }
        let structured = try structuredValue(of: value, path: path, expected: "a sequence")
        switch structured.node.content {
        case .sequence(let elements):
            record.openedNodes.insert(structured.node.id)
            return (elements, structured)
        case .scalar:
            return ([], structured)
        case .mapping:
            throw invalidValue(structured, path: path, expected: "a sequence")
        }
    }

    /// Returns the value itself when it is a sequence, mapping or null, and
    /// else an override's parsed flow value. Throws a type error for any
    /// other scalar.
    private func structuredValue(of value: ConfigValue, path: ConfigKeyPath, expected: String) throws(ConfigurationError) -> ConfigValue {
        guard value.node.scalar != nil, !value.isNull else {
            return value
        }
        guard let flow = value.flow else {
            throw invalidValue(value, path: path, expected: expected)
        }
        return ConfigValue(node: try flow.get(), layer: value.layer)
    }

    /// Decodes a scalar with `convert`, or throws an error naming the
    /// value and what `Value` expects.
    func decodeScalar<Value>(
        _ type: Value.Type,
        from value: ConfigValue,
        path: ConfigKeyPath,
        _ convert: (ConfigScalar) -> Result<Value, ScalarMismatch>
    ) throws(ConfigurationError) -> Value {
        guard let scalar = value.node.scalar else {
            throw invalidValue(value, path: path, expected: ExpectedValue.describe(type))
        }
        switch convert(scalar) {
        case .success(let decoded):
            return decoded
        case .failure(let mismatch):
            throw invalidValue(value, path: path, expected: mismatch.expected, hint: mismatch.hint)
        }
    }
}
