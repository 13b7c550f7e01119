/// The handler a route runs, with the route's group middleware already applied.
package typealias RouteHandler = @Sendable (Request, RequestContext) async throws -> Response

/// One route's handler for one method at a trie node.
struct RouteEndpoint: Sendable {
    let template: RouteTemplate
    /// Names for the captured values, in capture order (see `RouteTemplate.captureNames`).
    let captureNames: [String]
    let handler: RouteHandler
}

/// A node of the frozen route trie: one per distinct template prefix.
///
/// Immutable after `RouteTrieBuilder.build()`, so the trie is shared by every
/// connection without locks.
final class RouteNode: Sendable {
    let literals: [String: RouteNode]
    let parameter: RouteNode?
    let wildcard: RouteNode?
    /// The node for a trailing `**`, which has endpoints and no children.
    let catchAll: RouteNode?
    let endpoints: [HTTPMethod: RouteEndpoint]

    init(
        literals: [String: RouteNode],
        parameter: RouteNode?,
        wildcard: RouteNode?,
        catchAll: RouteNode?,
        endpoints: [HTTPMethod: RouteEndpoint]
    ) {
        self.literals = literals
        self.parameter = parameter
        self.wildcard = wildcard
        self.catchAll = catchAll
        self.endpoints = endpoints
    }
}
