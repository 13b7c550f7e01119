/// Produces a response for a request: a router, a middleware chain, or a
/// single handler.
///
/// The server calls `respond` on a task bound to the connection's event loop,
/// so code that does not hop to another executor runs on the loop thread.
/// Blocking that thread stalls every connection on the loop: move blocking work
/// to another executor.
public protocol HTTPResponder: Sendable {
    func respond(to request: Request, context: RequestContext) async throws -> Response
}

/// A responder made from a closure.
public struct ClosureResponder: HTTPResponder {
    private let closure: @Sendable (Request, RequestContext) async throws -> Response

    public init(_ closure: @escaping @Sendable (Request, RequestContext) async throws -> Response) {
        self.closure = closure
    }

    public func respond(to request: Request, context: RequestContext) async throws -> Response {
        try await closure(request, context)
    }
}
