extension Router {
    /// Freezes the routes and middleware registered so far into an immutable,
    /// `Sendable` responder. Later changes to the router do not affect it.
    ///
    /// The responder matches the request path (the target without the query):
    /// - Routes are tried by precedence, segment by segment: a literal before a
    ///   parameter, a parameter before `*`, `*` before `**`. When a branch
    ///   fails deeper in the path, the search backtracks, so `/a/:x/c` and
    ///   `/a/b/d` both match their paths.
    /// - Paths are not normalized: `/users/` does not match `/users`, and the
    ///   empty segments of `//` are kept (a parameter or `*` never matches an
    ///   empty segment). Segments are compared and captured still
    ///   percent-encoded.
    /// - No route matches the path: 404 Not Found.
    /// - Routes match the path but none accepts the method: 405 Method Not
    ///   Allowed, with an `Allow` header listing their methods in alphabetical
    ///   order, plus HEAD when GET is among them.
    /// - A HEAD request on a route without a HEAD handler runs the GET
    ///   handler, and the server sends the response without its body.
    ///
    /// Captured parameters are added to `context.parameters`.
    public func buildResponder() -> some HTTPResponder {
        let trie = RouteTrieBuilder()
        for route in routes {
            let scoped = chain(route.scope?.middlewareFromOutermost ?? [], around: route.handler)
            trie.insert(route.template, method: route.method, handler: scoped)
        }
        return RouterResponder(root: trie.build(), middleware: middleware)
    }
}
