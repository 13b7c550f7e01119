/// The W3C Trace Context `tracestate` field: vendor-specific `key=value`
/// members, passed on unchanged.
///
/// Validation follows the W3C Trace Context recommendation (level 1). A value
/// has at most 32 members and no key twice. Keys are lowercase letters,
/// digits and `_ - * /`, optionally in the `tenant@system` form. Values are
/// printable ASCII without `,` and `=`, and do not end in a space.
///
/// The recommendation lets a receiver drop members beyond 512 characters.
/// This implementation drops the whole value instead, and also when anything
/// is invalid, so that a partial state never reaches the next service.
public enum TraceState {
    public static let fieldName = "tracestate"
    public static let maxMembers = 32
    public static let maxLength = 512

    /// Joins the `tracestate` fields of a request (RFC 9110 allows a list
    /// field to be split over several lines) and returns the value with empty
    /// members removed, or "" when it is invalid or over the limits.
    public static func normalize(_ values: [String]) -> String {
        var members: [Substring] = []
        var keys = Set<Substring>()
        for value in values {
            for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                let member = trimmingSpaces(element)
                if member.isEmpty { continue }
                guard let key = validKey(ofMember: member), keys.insert(key).inserted else { return "" }
                members.append(member)
            }
        }
        guard members.count <= maxMembers else { return "" }
        let joined = members.joined(separator: ",")
        return joined.utf8.count <= maxLength ? joined : ""
    }

    /// Returns the key of a valid `key=value` member, or nil.
    static func validKey(ofMember member: Substring) -> Substring? {
        guard let equals = member.firstIndex(of: "=") else { return nil }
        let key = member[..<equals]
        let value = member[member.index(after: equals)...]
        guard isValidKey(key), isValidValue(value) else { return nil }
        return key
    }

    static func isValidKey(_ key: Substring) -> Bool {
        let parts = key.split(separator: "@", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return isKeyPart(parts[0], maxLength: 256, firstMayBeDigit: false)
        case 2:
            return isKeyPart(parts[0], maxLength: 241, firstMayBeDigit: true)
                && isKeyPart(parts[1], maxLength: 14, firstMayBeDigit: false)
        default:
            return false
        }
    }

    private static func isKeyPart(_ part: Substring, maxLength: Int, firstMayBeDigit: Bool) -> Bool {
        let bytes = part.utf8
        guard let first = bytes.first, bytes.count <= maxLength else { return false }
        guard isLowercaseLetter(first) || (firstMayBeDigit && isDigit(first)) else { return false }
        return bytes.allSatisfy { byte in
            isLowercaseLetter(byte) || isDigit(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "/")
        }
    }

    /// A value is 1 to 256 characters of 0x20-0x7E except `,` and `=`, and
    /// does not end in a space.
    static func isValidValue(_ value: Substring) -> Bool {
        let bytes = value.utf8
        guard let last = bytes.last, bytes.count <= 256, last != 0x20 else { return false }
        return bytes.allSatisfy { byte in
            (0x20...0x7E).contains(byte) && byte != UInt8(ascii: ",") && byte != UInt8(ascii: "=")
        }
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func trimmingSpaces(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = text.lastIndex(where: { !isSpace($0) })!
        return text[start...end]
    }
}
