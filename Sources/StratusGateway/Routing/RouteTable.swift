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
        let folded = caseSensitive || !path.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? path : path.lowercased()
        var allowed: Set<HTTPMethod> = []
        var pathMatched = false
        func scan(_ candidates: [RouteMatcher], check: (RouteMatcher) -> Bool) -> Outcome? {
            for candidate in candidates where check(candidate) {
                guard let captures = candidate.path.match(path: path, folded: folded) else { continue }
                if candidate.matchesRest(method: method, request: request) {
                    return .found(index: candidate.index, captures: captures)
                }
                pathMatched = true
                if let methods = candidate.methods { allowed.formUnion(methods) }
            }
            return nil
        }
        if let exact = exactHosts[host], let found = scan(exact, check: { _ in true }) {
            return found
        }
        if !wildcardRoutes.isEmpty, let found = scan(wildcardRoutes, check: { $0.hosts.contains { $0.matches(host) } }) {
            return found
        }
        if let found = scan(anyHostRoutes, check: { _ in true }) {
            return found
        }
        return pathMatched && !allowed.isEmpty ? .methodNotAllowed(allowed: allowed) : .notFound
    }
}
