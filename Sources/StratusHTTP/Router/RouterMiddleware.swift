/// Code that runs around route handlers: it may change the request and
/// context before calling `next`, change the response after, respond without
/// calling `next`, or catch what `next` throws.
///
/// Middleware runs in registration order: the first added is the outermost,
/// so it sees the request first and the response last. Middleware added to a
/// `Router` runs for every request, including those answered 404 or 405.
/// Middleware added to a group runs only for the group's routes, inside the
/// router's middleware and inside the middleware of enclosing groups.
public protocol RouterMiddleware: Sendable {
    /// Handles one request. Call `next` at most once to run the rest of the chain.
    func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response
}

/// Wraps `handler` in `middleware`, the first element outermost.
package func chain(_ middleware: [any RouterMiddleware], around handler: @escaping RouteHandler) -> RouteHandler {
    var next = handler
    for layer in middleware.reversed() {
        let inner = next
        next = { request, context in
            try await layer.handle(request, context: context, next: inner)
        }
    }
    return next
}
