/// A value a route handler may return instead of a `Response`.
///
/// Conforming types in StratusHTTP: `Response` (returned as is), `String`
/// (`text/plain; charset=utf-8`), `HTTPStatus` (that status, empty body) and
/// `[UInt8]` (`application/octet-stream`).
///
/// The protocol refines `SendableMetatype` because the router stores handlers
/// in `@Sendable` closures that are generic over the returned type.
public protocol ResponseGenerator: SendableMetatype {
    /// Converts the value to the response for `request`. A thrown error is
    /// handled like an error thrown by the handler.
    func response(from request: Request, context: RequestContext) throws -> Response
}

extension Response: ResponseGenerator {
    public func response(from request: Request, context: RequestContext) -> Response {
        self
    }
}

extension String: ResponseGenerator {
    public func response(from request: Request, context: RequestContext) -> Response {
        Response.text(self)
    }
}

extension HTTPStatus: ResponseGenerator {
    public func response(from request: Request, context: RequestContext) -> Response {
        Response(status: self)
    }
}

extension Array: ResponseGenerator where Element == UInt8 {
    public func response(from request: Request, context: RequestContext) -> Response {
        Response(
            headers: ["Content-Type": "application/octet-stream"],
            body: OutgoingBody(bytes: self)
        )
    }
}
