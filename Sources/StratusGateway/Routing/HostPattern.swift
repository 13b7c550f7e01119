/// A route's host condition: an exact host name, or `*.suffix` matching
/// any name with at least one more label before the suffix. Hosts compare
/// without case and without a port or trailing dot.
enum HostPattern: Sendable, Hashable {
    case exact(String)
    /// The suffix with its leading dot: `.example.com`.
    case wildcard(suffix: String)

    /// Parses a configured host, or returns nil when it is not a host name,
    /// an IP address or a wildcard.
    init?(_ text: String) {
        let lowered = text.lowercased()
        guard !lowered.isEmpty, lowered.utf8.allSatisfy({ Self.isHostByte($0) || $0 == UInt8(ascii: "*") }) else { return nil }
        if lowered.hasPrefix("*.") {
            let suffix = String(lowered.dropFirst())
            guard suffix.count > 1, !suffix.dropFirst().contains("*") else { return nil }
            self = .wildcard(suffix: suffix)
        } else {
            guard !lowered.contains("*") else { return nil }
            self = .exact(lowered)
        }
    }

    func matches(_ host: String) -> Bool {
        switch self {
        case .exact(let name): host == name
        case .wildcard(let suffix): host.count > suffix.count && host.hasSuffix(suffix)
        }
    }

    /// Letters, digits, `-`, `.`, and the `:` and brackets of IPv6 literals.
    private static func isHostByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
    }

    /// Returns the host of a `Host` value in the form routes compare:
    /// lower case, without the port and without a trailing dot.
    static func normalizedHost(_ value: Substring) -> String {
        // Byte positions: a Host value is ASCII, and Character-based
        // searches cost more than the rest of routing a request.
        let bytes = value.utf8
        var end = bytes.endIndex
        if bytes.first == UInt8(ascii: "[") {
            if let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
                end = bytes.index(after: close)
            }
        } else if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) {
            end = colon
        }
        if end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: ".") {
            end = bytes.index(before: end)
        }
        let host = value[value.startIndex..<end]
        guard host.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return String(host) }
        return host.lowercased()
    }
}
