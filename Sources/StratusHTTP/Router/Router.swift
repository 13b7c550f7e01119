/// Collects routes and middleware, then freezes them into a responder.
///
/// ```swift
/// let router = Router()
/// router.add(middleware: RequestIDMiddleware())
/// router.add(middleware: RecoveryMiddleware())
/// router.get("/v1/users/:name") { request, context in
///     "hello, \(context.parameters["name"]!)"
/// }
/// let responder = router.buildResponder()
/// ```
///
/// `buildResponder()` describes route matching, precedence and the 404, 405
/// and HEAD rules. `RouteTemplate` describes the template syntax.
///
/// Thread safety: a router is a builder and is not `Sendable`. Configure it
/// from one task, then share the responder that `buildResponder()` returns.
public final class Router: RouterMethods {
    private(set) var middleware: [any RouterMiddleware] = []
    private(set) var routes: [RouteDefinition] = []
    /// The template text of each registered route by method and shape, to name
    /// the earlier route when a duplicate arrives.
    private var registered: [RouteKey: String] = [:]

    public init() {}

    /// Adds middleware that runs for every request, after (inside) the
    /// middleware added before it. See `RouterMiddleware` for the order.
    @discardableResult
    public func add(middleware: any RouterMiddleware) -> Self {
        self.middleware.append(middleware)
        return self
    }

    @discardableResult
    public func on<Output: ResponseGenerator>(
        _ path: String,
        method: HTTPMethod,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self {
        register(path, method: method, scope: nil, handler: makeRouteHandler(handler))
        return self
    }

    /// The method and template of every route registered so far, in
    /// registration order, for API documents and their tests. Templates
    /// keep their spelling (`:name` or `{name}`).
    public var registeredRoutes: [(method: HTTPMethod, template: String)] {
        routes.map { ($0.method, $0.template.description) }
    }

    /// Returns a group whose routes start with `prefix` (empty, or starting
    /// with `/`) and which has its own middleware.
    public func group(_ prefix: String) -> RouterGroup {
        RouterGroup(router: self, prefix: joinPath(prefix: "", path: prefix), scope: MiddlewareScope(parent: nil))
    }

    /// Registers a route. The router wraps the handler in the scope's
    /// middleware only when it freezes, so middleware added to a group after
    /// its routes still applies to them.
    func register(_ path: String, method: HTTPMethod, scope: MiddlewareScope?, handler: @escaping RouteHandler) {
        let template: RouteTemplate
        do {
            template = try RouteTemplate(parsing: path)
        } catch {
            preconditionFailure("\(method) \(error)")
        }
        let key = RouteKey(method: method, shape: template.shape)
        if let earlier = registered[key] {
            preconditionFailure(
                "duplicate route \(method) \"\(template)\": it matches the same paths as \"\(earlier)\""
            )
        }
        registered[key] = template.description
        routes.append(RouteDefinition(template: template, method: method, handler: handler, scope: scope))
    }
}

/// A route as registered, before the router freezes.
struct RouteDefinition {
    let template: RouteTemplate
    let method: HTTPMethod
    let handler: RouteHandler
    let scope: MiddlewareScope?
}

struct RouteKey: Hashable {
    let method: HTTPMethod
    let shape: [RouteTemplate.Segment]
}

/// Converts a handler returning any `ResponseGenerator` to one returning a `Response`.
func makeRouteHandler<Output: ResponseGenerator>(
    _ handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
) -> RouteHandler {
    { request, context in
        try await handler(request, context).response(from: request, context: context)
    }
}

/// Joins a group prefix and a route path. Both must be empty or start with `/`.
/// Anything else is a programmer error, since `"/v1" + "users"` would silently
/// register `/v1users`.
func joinPath(prefix: String, path: String) -> String {
    precondition(
        path.isEmpty || path.hasPrefix("/"),
        "invalid route path \"\(path)\" in group \"\(prefix)\": it must be empty or start with \"/\""
    )
    return prefix + path
}
