/// A route's change to the path sent upstream: a prefix removed, or a new
/// path with template parameters substituted.
enum PathRewrite: Sendable {
    case none
    case stripPrefix(String, caseSensitive: Bool)
    /// Literal pieces and parameter names, alternating as written.
    case template([Piece])

    enum Piece: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    init(_ configuration: RewriteConfiguration?, parameters: [String], caseSensitive: Bool) throws(RouteCompileError) {
        guard let configuration else {
            self = .none
            return
        }
        if let prefix = configuration.stripPrefix {
            self = .stripPrefix(prefix.count > 1 && prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix, caseSensitive: caseSensitive)
            return
        }
        guard let path = configuration.path else {
            self = .none
            return
        }
        var pieces: [Piece] = []
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw RouteCompileError(field: "rewrite.path", "invalid rewrite path \"\(path)\": \"{\" without a closing \"}\"")
            }
            if open > rest.startIndex { pieces.append(.literal(String(rest[..<open]))) }
            let name = String(rest[rest.index(after: open)..<close])
            guard parameters.contains(name) else {
                let known = parameters.isEmpty ? "the route's match has no template parameters" : "the template's parameters are \(parameters.joined(separator: ", "))"
                throw RouteCompileError(field: "rewrite.path", "invalid rewrite path \"\(path)\": unknown parameter {\(name)}; \(known)")
            }
            pieces.append(.parameter(name))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        self = .template(pieces)
    }

    /// Returns the path to send upstream for the normalized `path`.
    func apply(to path: String, parameter: (String) -> String?) -> String {
        switch self {
        case .none:
            return path
        case .stripPrefix(let prefix, let caseSensitive):
            let folded = caseSensitive ? path : path.lowercased()
            let foldedPrefix = caseSensitive ? prefix : prefix.lowercased()
            guard prefix != "/", PathMatcher.hasSegmentPrefix(folded, foldedPrefix) else { return path }
            let rest = path.utf8.dropFirst(prefix.utf8.count)
            let text = String(Substring(rest))
            return text.isEmpty ? "/" : text
        case .template(let pieces):
            var result = ""
            for piece in pieces {
                switch piece {
                case .literal(let text): result += text
                case .parameter(let name): result += parameter(name) ?? ""
                }
            }
            return result
        }
    }
}
