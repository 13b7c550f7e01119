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
        guard headers.contains(where: { isCandidate($0.name) }) else { return }
        var listed: [Substring] = []
        for value in headers.values(for: "Connection") {
            for token in value.split(separator: ",") {
                let name = token.trimmingASCIISpacesAndTabs()
                if !name.isEmpty { listed.append(name) }
            }
        }
        headers = HTTPFields(headers.filter { field in
            !names.contains { $0.caseInsensitiveEquals(field.name) } && !listed.contains { $0.caseInsensitiveEquals(field.name) }
        })
    }

    /// A cheap first check: every hop-by-hop name starts with C, K, P, T or U.
    private static func isCandidate(_ name: String) -> Bool {
        switch name.utf8.first.map({ $0 | 0x20 }) {
        case UInt8(ascii: "c"), UInt8(ascii: "k"), UInt8(ascii: "p"), UInt8(ascii: "t"), UInt8(ascii: "u"): true
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
