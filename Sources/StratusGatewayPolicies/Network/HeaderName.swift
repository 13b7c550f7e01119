/// Checks of header field names in configuration.
enum HeaderName {
    /// Throws unless `name` is a field name: one or more token characters
    /// (RFC 9110, section 5.1).
    static func validate(_ name: String, field: String) throws(PolicyConfigurationError) {
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenCharacter) else {
            throw PolicyConfigurationError(field: field, value: name, expected: "a header field name such as X-API-Key")
        }
    }

    static func validate(_ names: [String], field: String) throws(PolicyConfigurationError) {
        for (index, name) in names.enumerated() {
            try validate(name, field: "\(field)[\(index)]")
        }
    }

    /// Returns whether `byte` is a `tchar` of RFC 9110, section 5.6.2.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
