import StratusHTTP

/// The compiled conditions of one route.
struct RouteMatcher: Sendable {
    /// The route's position in the configuration.
    let index: Int
    let name: String
    let hosts: [HostPattern]
    let path: PathMatcher
    let pathRank: PathRank
    let priority: Int
    /// Nil matches every method.
    let methods: Set<HTTPMethod>?
    let headers: [FieldMatcher]
    let query: [FieldMatcher]

    /// The order of path kinds, then of patterns within a kind.
    struct PathRank: Comparable, Sendable {
        /// 0 exact, 1 template, 2 prefix, 3 regex.
        var kind: Int
        /// Template segment ranks (literal before parameter before `*`
        /// before `**`) or the negated prefix length, so that more specific
        /// patterns sort first.
        var detail: [Int]

        static func < (lhs: Self, rhs: Self) -> Bool {
            if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
            if lhs.detail != rhs.detail { return lhs.detail.lexicographicallyPrecedes(rhs.detail) }
            return false
        }
    }

    /// Whether the method, header and query conditions hold.
    func matchesRest(method: HTTPMethod, request: Request) -> Bool {
        if let methods, !methods.contains(method), !(method == .head && methods.contains(.get)) {
            return false
        }
        for header in headers where !header.matches(request.headers[header.name]) {
            return false
        }
        if !query.isEmpty {
            let parameters = request.queryParameters
            for condition in query where !condition.matches(parameters.first(where: { $0.name == condition.name })?.value) {
                return false
            }
        }
        return true
    }
}

extension RouteMatcher {
    /// Compiles a route's match section, throwing a message that names the
    /// field and value at fault.
    init(index: Int, route: RouteConfiguration, caseSensitive: Bool) throws(RouteCompileError) {
        self.index = index
        name = route.name
        hosts = try route.match.hosts.map { (text) throws(RouteCompileError) in
            guard let host = HostPattern(text) else {
                throw RouteCompileError(field: "match.hosts", "invalid host \"\(text)\": expected a host name such as api.example.com, or *.example.com")
            }
            return host
        }
        (path, pathRank) = try Self.compilePath(route.match.path, caseSensitive: caseSensitive)
        priority = route.priority
        methods = try route.match.methods.isEmpty ? nil : Set(route.match.methods.map { (text) throws(RouteCompileError) in
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
                throw RouteCompileError(field: "match.methods", "invalid method \"\(text)\": expected an upper-case method such as GET")
            }
            return HTTPMethod(rawValue: text)
        })
        headers = try Self.compileFields(route.match.headers, field: "match.headers")
        query = try Self.compileFields(route.match.query, field: "match.query")
    }

    private static func compileFields(_ conditions: [FieldCondition], field: String) throws(RouteCompileError) -> [FieldMatcher] {
        var matchers: [FieldMatcher] = []
        for condition in conditions {
            do {
                matchers.append(try FieldMatcher(condition))
            } catch {
                throw RouteCompileError(field: field, "invalid regex \"\(condition.regex ?? "")\" for \(condition.name): \(error)")
            }
        }
        return matchers
    }

    private static func compilePath(_ pattern: PathPattern, caseSensitive: Bool) throws(RouteCompileError) -> (PathMatcher, PathRank) {
        func fold(_ text: String) -> String { caseSensitive ? text : text.lowercased() }
        switch pattern {
        case .exact(let text):
            try checkPath(text, field: "match.exact")
            return (.exact(fold(text)), PathRank(kind: 0, detail: []))
        case .prefix(let text):
            try checkPath(text, field: "match.prefix")
            let trimmed = text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text
            return (.prefix(fold(trimmed)), PathRank(kind: 2, detail: [-trimmed.utf8.count]))
        case .template(let text):
            let template: RouteTemplate
            do {
                template = try RouteTemplate(parsing: text)
            } catch {
                throw RouteCompileError(field: "match.template", error.description)
            }
            let segments = template.segments.map { segment -> RouteTemplate.Segment in
                if case .literal(let literal) = segment { return .literal(fold(literal)) }
                return segment
            }
            let ranks = template.segments.map { segment -> Int in
                switch segment {
                case .literal: 0
                case .parameter: 1
                case .wildcard: 2
                case .catchAll: 3
                }
            }
            return (.template(segments), PathRank(kind: 1, detail: ranks + [4]))
        case .regex(let text):
            do {
                return (.regex(try CompiledRegex(text, ignoresCase: !caseSensitive)), PathRank(kind: 3, detail: []))
            } catch {
                throw RouteCompileError(field: "match.regex", "invalid regex \"\(text)\": \(error)")
            }
        }
    }

    private static func checkPath(_ text: String, field: String) throws(RouteCompileError) {
        guard text.hasPrefix("/") else {
            throw RouteCompileError(field: field, "invalid path \"\(text)\": expected a path starting with /")
        }
        guard (try? PathNormalizer().normalize(Substring(text))) == text else {
            throw RouteCompileError(field: field, "invalid path \"\(text)\": a route path must already be normalized (no //, dot segments, ; parameters or encoded unreserved characters), because requests are matched after normalization")
        }
    }
}

/// A route condition that cannot be compiled.
struct RouteCompileError: Error, Sendable {
    let field: String
    let message: String

    init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}
