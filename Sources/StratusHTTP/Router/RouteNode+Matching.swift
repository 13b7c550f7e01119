/// The outcome of looking up a path and method in the route trie.
enum RouteMatch: Sendable {
    /// A route accepts the method. `captures` are in the endpoint's capture order.
    case found(RouteEndpoint, captures: [Substring])
    /// Routes match the path, but none accepts the method.
    case methodNotAllowed(allowed: Set<HTTPMethod>)
    case notFound
}

extension RouteNode {
    /// Finds the route for `path` and `method`.
    ///
    /// Children are tried in precedence order (literal, parameter, `*`, `**`),
    /// depth first, and the search backtracks when a branch does not reach a
    /// route. The first node that matches the whole path and has an endpoint
    /// for the method wins. A HEAD request falls back to the GET endpoint of a
    /// node without a HEAD endpoint.
    func match(path: Substring, method: HTTPMethod) -> RouteMatch {
        guard path.hasPrefix("/") else { return .notFound }
        var search = RouteSearch(path: path, segments: splitPath(path), method: method)
        if search.visit(self, at: 0) {
            return .found(search.endpoint!, captures: search.captures)
        }
        if search.allowed.isEmpty {
            return .notFound
        }
        return .methodNotAllowed(allowed: search.allowed)
    }
}

/// The state of one depth-first search through the trie.
private struct RouteSearch {
    let path: Substring
    let segments: [Substring]
    let method: HTTPMethod
    var captures: [Substring] = []
    var endpoint: RouteEndpoint?
    /// Methods of the nodes that matched the whole path but not the method.
    var allowed: Set<HTTPMethod> = []

    /// Returns true once a route for the method is found below `node`.
    mutating func visit(_ node: RouteNode, at index: Int) -> Bool {
        guard index < segments.count else {
            return accept(node)
        }
        let segment = segments[index]
        if let child = node.literals[String(segment)], visit(child, at: index + 1) {
            return true
        }
        // Parameters and `*` never match an empty segment, so `/users/` does not reach `/users/:id`.
        if !segment.isEmpty {
            if let child = node.parameter, visitCapturing(segment, child, at: index + 1) {
                return true
            }
            if let child = node.wildcard, visit(child, at: index + 1) {
                return true
            }
        }
        if let child = node.catchAll {
            captures.append(path[segment.startIndex...])
            if accept(child) { return true }
            captures.removeLast()
        }
        return false
    }

    private mutating func visitCapturing(_ value: Substring, _ node: RouteNode, at index: Int) -> Bool {
        captures.append(value)
        if visit(node, at: index) { return true }
        captures.removeLast()
        return false
    }

    /// Takes the node's endpoint for the method, or records the node's methods for a 405.
    private mutating func accept(_ node: RouteNode) -> Bool {
        if let endpoint = node.endpoints[method] ?? headFallback(node) {
            self.endpoint = endpoint
            return true
        }
        allowed.formUnion(node.endpoints.keys)
        return false
    }

    private func headFallback(_ node: RouteNode) -> RouteEndpoint? {
        method == .head ? node.endpoints[.get] : nil
    }
}
