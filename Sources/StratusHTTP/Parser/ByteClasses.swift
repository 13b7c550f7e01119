/// Character classes of RFC 9110 and RFC 9112, as 256-entry lookup tables.
enum ByteClass {
    /// tchar (RFC 9110, section 5.6.2): the characters of a method or field name.
    static let token: [Bool] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(UInt8(byte))
        }
    }

    /// Bytes allowed in a field value (RFC 9110, section 5.5): VCHAR, obs-text,
    /// SP and HTAB. NUL, CR, LF and other controls are rejected.
    static let fieldValue: [Bool] = (0...255).map { byte in
        byte == 0x09 || byte == 0x20 || (0x21...0x7E).contains(byte) || byte >= 0x80
    }

    /// Bytes allowed in a request target: visible ASCII only (RFC 3986 characters
    /// plus the few that clients send unescaped); no space, control or non-ASCII.
    static let target: [Bool] = (0...255).map { byte in
        (0x21...0x7E).contains(byte)
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
