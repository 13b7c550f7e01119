import StratusHTTP

/// Fields that describe one connection, not the message, and so never
/// pass a proxy (RFC 9110, section 7.6.1), with the fields the
/// `Connection` field names.
enum HopByHop {
    static let names = [
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Proxy-Authenticate", "Proxy-Authorization",
    ]

    /// Removes the hop-by-hop fields and those that `Connection` lists.
    static func remove(from headers: inout HTTPFields) {
        guard headers.contains(where: { isHopByHop($0.name) }) else { return }
        var listed: [Substring] = []
        for value in headers.values(for: "Connection") {
            for token in value.split(separator: ",") {
                let name = token.trimmingASCIISpacesAndTabs()
                if !name.isEmpty { listed.append(name) }
            }
        }
        headers = HTTPFields(headers.filter { field in
            !isHopByHop(field.name) && !listed.contains { $0.caseInsensitiveEquals(field.name) }
        })
    }

    /// Returns whether `name` is one of `names`. The fields that
    /// `Connection` lists only matter when `Connection` is present, which
    /// this finds too.
    private static func isHopByHop(_ name: String) -> Bool {
        switch name.utf8.count {
        case 2: name.caseInsensitiveEquals("TE")
        case 7: name.caseInsensitiveEquals("Trailer") || name.caseInsensitiveEquals("Upgrade")
        case 10: name.caseInsensitiveEquals("Connection") || name.caseInsensitiveEquals("Keep-Alive")
        case 16: name.caseInsensitiveEquals("Proxy-Connection")
        case 17: name.caseInsensitiveEquals("Transfer-Encoding")
        case 18: name.caseInsensitiveEquals("Proxy-Authenticate")
        case 19: name.caseInsensitiveEquals("Proxy-Authorization")
        default: false
        }
    }
}

extension StringProtocol {
    /// Compares ASCII letters without case, as field names compare.
    func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { left, right in
            left == right || (left | 0x20 == right | 0x20 && (left | 0x20) >= UInt8(ascii: "a") && (left | 0x20) <= UInt8(ascii: "z"))
        }
    }

    func trimmingASCIISpacesAndTabs() -> Substring {
        let text = Substring(self)
        let start = text.firstIndex { $0 != " " && $0 != "\t" } ?? text.endIndex
        let end = text.lastIndex { $0 != " " && $0 != "\t" }.map { text.index(after: $0) } ?? start
        return start < end ? text[start..<end] : ""
    }
}
