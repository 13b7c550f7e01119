import StratusHTTP

/// Finds the route for a request, in the documented precedence:
///
/// 1. Host: routes naming the request's host exactly, then routes whose
///    wildcard matches it (longer suffix first), then routes without hosts.
/// 2. Path kind within a host level: exact, then template (more literal
///    segments first), then prefix (longer first), then regex.
/// 3. Higher `priority` first, then the order of the configuration.
///
/// The first route in that order whose path, method, header and query
/// conditions all hold wins.
struct RouteTable: Sendable {
    enum Outcome {
        case found(index: Int, captures: [(name: String, value: Substring)])
        /// Routes match the host and path, but none the method and other
        /// conditions.
        case methodNotAllowed(allowed: Set<HTTPMethod>)
        case notFound
    }

    private let exactHosts: [String: [RouteMatcher]]
    private let wildcardRoutes: [RouteMatcher]
    private let anyHostRoutes: [RouteMatcher]
    let caseSensitive: Bool

    init(_ matchers: [RouteMatcher], caseSensitive: Bool) {
        self.caseSensitive = caseSensitive
        let byPath: (RouteMatcher, RouteMatcher) -> Bool = { lhs, rhs in
            if lhs.pathRank != rhs.pathRank { return lhs.pathRank < rhs.pathRank }
            if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
            return lhs.index < rhs.index
        }
        anyHostRoutes = matchers.filter(\.hosts.isEmpty).sorted(by: byPath)
        let wildcards = matchers.filter { $0.hosts.contains { if case .wildcard = $0 { true } else { false } } }
        wildcardRoutes = wildcards.sorted { lhs, rhs in
            let left = Self.longestSuffix(lhs), right = Self.longestSuffix(rhs)
            return left != right ? left > right : byPath(lhs, rhs)
        }
        var exact: [String: [RouteMatcher]] = [:]
        for matcher in matchers {
            for case .exact(let host) in matcher.hosts {
                exact[host, default: []].append(matcher)
            }
        }
        exactHosts = exact.mapValues { $0.sorted(by: byPath) }
    }

    private static func longestSuffix(_ matcher: RouteMatcher) -> Int {
        matcher.hosts.map { host in
            if case .wildcard(let suffix) = host { return suffix.count }
            return 0
        }.max() ?? 0
    }

    /// Finds the route for `path` (normalized) on `host` (normalized).
    func match(host: String, path: String, method: HTTPMethod, request: Request) -> Outcome {
        let needsFolding = !caseSensitive && path.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        var search = Search(path: path, folded: needsFolding ? path.lowercased() : path, method: method, request: request)
        if let exact = exactHosts[host], let found = search.scan(exact, host: nil) {
            return found
        }
        if !wildcardRoutes.isEmpty, let found = search.scan(wildcardRoutes, host: host) {
            return found
        }
        if let found = search.scan(anyHostRoutes, host: nil) {
            return found
        }
        return search.pathMatched && !search.allowed.isEmpty ? .methodNotAllowed(allowed: search.allowed) : .notFound
    }

    /// One lookup's state: the methods of routes whose path matched.
    private struct Search {
        let path: String
        let folded: String
        let method: HTTPMethod
        let request: Request
        var allowed: Set<HTTPMethod> = []
        var pathMatched = false

        /// Returns the first candidate that matches, checking that one of
        /// its hosts matches `host` when given.
        mutating func scan(_ candidates: [RouteMatcher], host: String?) -> Outcome? {
            for candidate in candidates {
                if let host, !candidate.hosts.contains(where: { $0.matches(host) }) { continue }
                guard let captures = candidate.path.match(path: path, folded: folded) else { continue }
                if candidate.matchesRest(method: method, request: request) {
                    return .found(index: candidate.index, captures: captures)
                }
                pathMatched = true
                if let methods = candidate.methods { allowed.formUnion(methods) }
            }
            return nil
        }
    }
}
