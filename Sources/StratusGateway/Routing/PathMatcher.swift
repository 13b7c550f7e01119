import StratusHTTP

/// A route's compiled path condition. Literals are compared with the
/// route's case rule already applied: in case-insensitive mode both the
/// pattern and the path are lower case.
enum PathMatcher: Sendable {
    case exact(String)
    /// The prefix without a trailing `/`, or `/` alone.
    case prefix(String)
    /// A template's segments, literals in the route's case rule.
    case template([RouteTemplate.Segment])
    case regex(CompiledRegex)

    /// Returns the template captures when the path matches, nil otherwise.
    /// `path` is the normalized path and `folded` the same path in the
    /// case the pattern was compiled in; captures come from `path`.
    func match(path: String, folded: String) -> [(name: String, value: Substring)]? {
        switch self {
        case .exact(let text):
            return folded == text ? [] : nil
        case .prefix(let prefix):
            return Self.hasSegmentPrefix(folded, prefix) ? [] : nil
        case .template(let segments):
            return Self.match(segments, path: path, folded: folded)
        case .regex(let regex):
            return regex.matchesWhole(path) ? [] : nil
        }
    }

    /// Returns whether `path` starts with `prefix` at a segment boundary.
    static func hasSegmentPrefix(_ path: String, _ prefix: String) -> Bool {
        guard path.hasPrefix(prefix) else { return false }
        if prefix == "/" || path.utf8.count == prefix.utf8.count { return true }
        return path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: prefix.utf8.count)] == UInt8(ascii: "/")
    }

    private static func match(_ template: [RouteTemplate.Segment], path: String, folded: String) -> [(name: String, value: Substring)]? {
        let pieces = Self.segments(path)
        let foldedPieces = Self.segments(folded)
        var captures: [(name: String, value: Substring)] = []
        for (index, segment) in template.enumerated() {
            switch segment {
            case .catchAll:
                guard index < pieces.count else { return nil }
                captures.append(("**", path[pieces[index].startIndex...]))
                return captures
            case .literal(let text):
                guard index < pieces.count, foldedPieces[index] == text else { return nil }
            case .parameter(let name):
                guard index < pieces.count, !pieces[index].isEmpty else { return nil }
                captures.append((name, pieces[index]))
            case .wildcard:
                guard index < pieces.count, !pieces[index].isEmpty else { return nil }
            }
        }
        return pieces.count == template.count ? captures : nil
    }

    /// Returns the segments of a path starting with `/`: none for `/`.
    private static func segments(_ path: String) -> [Substring] {
        let rest = path.dropFirst()
        guard !rest.isEmpty else { return [] }
        return rest.split(separator: "/", omittingEmptySubsequences: false)
    }
}
