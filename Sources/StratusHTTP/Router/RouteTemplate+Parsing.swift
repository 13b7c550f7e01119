extension RouteTemplate {
    static func parseSegments(_ text: String) throws(RouteTemplateError) -> [Segment] {
        func invalid(_ reason: String) -> RouteTemplateError {
            RouteTemplateError(template: text, reason: reason)
        }
        guard text.hasPrefix("/") else {
            throw invalid("it must start with \"/\"")
        }
        if text.contains(where: { $0 == "?" || $0 == "#" }) {
            throw invalid("it must not contain \"?\" or \"#\", because routes match the path without the query")
        }
        let pieces = splitPath(Substring(text))
        var segments: [Segment] = []
        var names: Set<String> = []
        for (index, piece) in pieces.enumerated() {
            let isLast = index == pieces.count - 1
            let segment = try parseSegment(piece, isLast: isLast, invalid: invalid)
            if case .catchAll = segment, !isLast {
                throw invalid("\"**\" must be the last segment, because it matches the rest of the path")
            }
            if case .parameter(let name) = segment, !names.insert(name).inserted {
                throw invalid("the parameter name \"\(name)\" appears twice")
            }
            segments.append(segment)
        }
        return segments
    }

    private static func parseSegment(
        _ piece: Substring,
        isLast: Bool,
        invalid: (String) -> RouteTemplateError
    ) throws(RouteTemplateError) -> Segment {
        switch piece {
        case "":
            // The trailing empty segment of `/users/` is a literal, but `//` elsewhere is an error.
            guard isLast else { throw invalid("it contains an empty segment (\"//\")") }
            return .literal("")
        case "*":
            return .wildcard
        case "**":
            return .catchAll
        default:
            break
        }
        if piece.hasPrefix(":") {
            return .parameter(try parameterName(piece.dropFirst(), in: piece, invalid: invalid))
        }
        if piece.hasPrefix("{") && piece.hasSuffix("}") && piece.count >= 2 {
            return .parameter(try parameterName(piece.dropFirst().dropLast(), in: piece, invalid: invalid))
        }
        if piece.contains(where: { $0 == "{" || $0 == "}" }) {
            throw invalid("\"\(piece)\": braces must enclose a whole segment, as in \"{name}\"")
        }
        if piece.contains("*") {
            throw invalid("\"\(piece)\": \"*\" and \"**\" must be a whole segment")
        }
        return .literal(String(piece))
    }

    private static func parameterName(
        _ name: Substring,
        in piece: Substring,
        invalid: (String) -> RouteTemplateError
    ) throws(RouteTemplateError) -> String {
        let isValid = !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_")
        }
        guard isValid else {
            throw invalid("\"\(piece)\": a parameter name must be one or more letters, digits or \"_\"")
        }
        return String(name)
    }
}

/// Splits a path that starts with `/` into its segments, keeping empty ones:
/// `/` has none, `/users/` has `users` and an empty segment.
func splitPath(_ path: Substring) -> [Substring] {
    let rest = path.dropFirst()
    guard !rest.isEmpty else { return [] }
    return rest.split(separator: "/", omittingEmptySubsequences: false)
}
