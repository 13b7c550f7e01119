/// Type-directed decoding of scalars: the type requested decides how a
/// scalar's text is read.
///
/// Any scalar decodes as a `String`, as written (`1.10` is "1.10"), except
/// a plain null (`~`, `null`, empty). Numbers and booleans are read with the
/// YAML 1.2 core schema from plain scalars and override text. A quoted
/// scalar or one tagged `!!str` is a string, never a number or boolean.
enum ScalarDecoding {
    static func isNull(_ scalar: ConfigScalar) -> Bool {
        if let tag = scalar.tag {
            return tag == .null
        }
        return scalar.style != .quoted && CoreSchema.isNull(scalar.text)
    }

    static func string(_ scalar: ConfigScalar) -> Result<String, ScalarMismatch> {
        let isNull = scalar.tag == .null || (scalar.tag == nil && scalar.style == .plain && CoreSchema.isNull(scalar.text))
        guard isNull else {
            return .success(scalar.text)
        }
        let hint = scalar.text.isEmpty ? "write \"\" for an empty string" : "quote it (\"\(scalar.text)\") for the text"
        return .failure(ScalarMismatch(expected: "a string", hint: hint))
    }

    static func bool(_ scalar: ConfigScalar) -> Result<Bool, ScalarMismatch> {
        let expected = "true or false"
        return unquotedText(scalar, expected: expected).flatMap { text in
            if let value = CoreSchema.bool(text) {
                return .success(value)
            }
            if ["yes", "no", "on", "off", "y", "n"].contains(text.lowercased()) {
                return .failure(ScalarMismatch(expected: expected, hint: "YAML 1.2 reads yes, no, on and off as strings; write true or false"))
            }
            return .failure(ScalarMismatch(expected: expected))
        }
    }

    static func integer<Value: FixedWidthInteger>(_ scalar: ConfigScalar, as type: Value.Type) -> Result<Value, ScalarMismatch> {
        unquotedText(scalar, expected: ExpectedValue.integer(type)).flatMap { text in
            switch CoreSchema.integer(text, as: type) {
            case .value(let value):
                .success(value)
            case .outOfRange:
                .failure(ScalarMismatch(expected: ExpectedValue.integer(type, withRange: true)))
            case .invalid:
                .failure(ScalarMismatch(expected: ExpectedValue.integer(type)))
            }
        }
    }

    static func float<Value: BinaryFloatingPoint>(_ scalar: ConfigScalar, as type: Value.Type) -> Result<Value, ScalarMismatch> {
        let expected = "a number"
        return unquotedText(scalar, expected: expected).flatMap { text in
            guard let double = CoreSchema.float(text) else {
                return .failure(ScalarMismatch(expected: expected))
            }
            let value = Value(double)
            let isInfiniteByRange = value.isInfinite && !text.lowercased().hasSuffix(".inf")
            guard !isInfiniteByRange else {
                return .failure(ScalarMismatch(expected: expected, hint: "out of range for \(Value.self)"))
            }
            return .success(value)
        }
    }

    static func duration(_ scalar: ConfigScalar) -> Result<Duration, ScalarMismatch> {
        string(scalar).flatMap { text in
            DurationParser.parse(text).mapError { ScalarMismatch(expected: ExpectedValue.duration, hint: $0.reason) }
        }
    }

    /// Returns the text of a scalar that may be read as a number or boolean,
    /// or why it may not.
    private static func unquotedText(_ scalar: ConfigScalar, expected: String) -> Result<String, ScalarMismatch> {
        if scalar.tag == .string {
            return .failure(ScalarMismatch(expected: expected, hint: "the value is tagged !!str; remove the tag"))
        }
        if scalar.tag == nil && scalar.style == .quoted {
            return .failure(ScalarMismatch(expected: expected, hint: "a quoted value is a string; remove the quotes"))
        }
        return .success(scalar.text)
    }
}
