/// The mutable form of the route trie, filled while the router freezes and
/// then converted to immutable `RouteNode`s.
struct RouteTrieBuilder {
    private final class Node {
        var literals: [String: Node] = [:]
        var parameter: Node?
        var wildcard: Node?
        var catchAll: Node?
        var endpoints: [HTTPMethod: RouteEndpoint] = [:]

        func child(for segment: RouteTemplate.Segment) -> Node {
            switch segment {
            case .literal(let text):
                return Self.existing(&literals[text])
            case .parameter:
                return Self.existing(&parameter)
            case .wildcard:
                return Self.existing(&wildcard)
            case .catchAll:
                return Self.existing(&catchAll)
            }
        }

        private static func existing(_ slot: inout Node?) -> Node {
            if let node = slot { return node }
            let node = Node()
            slot = node
            return node
        }

        func freeze() -> RouteNode {
            RouteNode(
                literals: literals.mapValues { $0.freeze() },
                parameter: parameter?.freeze(),
                wildcard: wildcard?.freeze(),
                catchAll: catchAll?.freeze(),
                endpoints: endpoints
            )
        }
    }

    private let root = Node()

    /// Adds a route. The router has already rejected duplicates, so a second
    /// endpoint for the same node and method is a bug in the router.
    func insert(_ template: RouteTemplate, method: HTTPMethod, handler: @escaping RouteHandler) {
        var node = root
        for segment in template.segments {
            node = node.child(for: segment)
        }
        assert(node.endpoints[method] == nil, "duplicate route \(method) \(template) reached the trie")
        node.endpoints[method] = RouteEndpoint(
            template: template,
            captureNames: template.captureNames,
            handler: handler
        )
    }

    func build() -> RouteNode {
        root.freeze()
    }
}
