/// The YAML 1.2 core schema's resolution of plain scalars (YAML 1.2.2,
/// section 10.3.2): which texts are null, booleans, integers and floats.
///
/// YAML 1.1's `yes`, `no`, `on`, `off`, sexagesimal numbers and `_` digit
/// separators are not in it.
enum CoreSchema {
    /// The outcome of reading an integer.
    enum IntegerResult<Value> {
        case value(Value)
        /// The text is an integer, but not one the type can represent.
        case outOfRange
        case invalid
    }

    static func isNull(_ text: String) -> Bool {
        ["", "~", "null", "Null", "NULL"].contains(text)
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// Reads `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
    static func integer<Value: FixedWidthInteger>(_ text: String, as type: Value.Type) -> IntegerResult<Value> {
        guard let (digits, radix) = integerDigits(text) else {
            return .invalid
        }
        guard let value = Value(digits, radix: radix) else {
            return .outOfRange
        }
        return .value(value)
    }

    /// Reads the float forms and the integer forms; nil for any other text.
    /// Out-of-range values become infinite, as in `Double(_:)`.
    static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
            return .infinity
        case "-.inf", "-.Inf", "-.INF":
            return -.infinity
        case ".nan", ".NaN", ".NAN":
            return .nan
        default:
            break
        }
        if isDecimalFloat(text) {
            return Double(text)
        }
        if let (digits, radix) = integerDigits(text), radix != 10 {
            return UInt64(digits, radix: radix).map { Double($0) } ?? .infinity
        }
        return nil
    }

    /// Returns whether `text` resolves to the type a standard tag names.
    static func matches(_ text: String, _ tag: ScalarTag) -> Bool {
        switch tag {
        case .string: true
        case .null: isNull(text)
        case .boolean: bool(text) != nil
        case .integer: integerDigits(text) != nil
        case .float: float(text) != nil
        }
    }

    /// Returns the digits to parse and their radix. The decimal form keeps
    /// its sign.
    private static func integerDigits(_ text: String) -> (Substring, Int)? {
        if text.hasPrefix("0x") {
            let digits = text.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy(\.isASCIIHexDigit) ? (digits, 16) : nil
        }
        if text.hasPrefix("0o") {
            let digits = text.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy({ ("0"..."7").contains($0) }) ? (digits, 8) : nil
        }
        let unsigned = text.first == "-" || text.first == "+" ? text.dropFirst() : text[...]
        return !unsigned.isEmpty && unsigned.allSatisfy(\.isASCIIDigit) ? (text[...], 10) : nil
    }

    /// Returns whether `text` matches `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
    private static func isDecimalFloat(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let (whole, fraction) = scanDecimal(&rest)
        guard !whole.isEmpty || !fraction.isEmpty else { return false }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
            let exponent = rest.prefix(while: \.isASCIIDigit)
            guard !exponent.isEmpty else { return false }
            rest = rest.dropFirst(exponent.count)
        }
        return rest.isEmpty
    }
}

extension CoreSchema {
    /// Removes `[0-9]*(\.[0-9]*)?` from the front of `text` and returns the
    /// digits before and after the point, either of which may be empty.
    static func scanDecimal(_ text: inout Substring) -> (whole: Substring, fraction: Substring) {
        let whole = text.prefix(while: \.isASCIIDigit)
        text = text.dropFirst(whole.count)
        guard text.first == "." else {
            return (whole, "")
        }
        text = text.dropFirst()
        let fraction = text.prefix(while: \.isASCIIDigit)
        text = text.dropFirst(fraction.count)
        return (whole, fraction)
    }
}

extension Character {
    fileprivate var isASCIIHexDigit: Bool { isASCIIDigit || ("a"..."f").contains(self) || ("A"..."F").contains(self) }
}
