/// Routes that share a path prefix and middleware, made by `Router.group(_:)`
/// or `RouterGroup.group(_:)`.
///
/// A route path in a group is appended to the prefix: in `group("/v1")`,
/// `get("/users")` registers `/v1/users` and `get("")` registers `/v1`.
/// Copies of a group share its middleware.
public struct RouterGroup: RouterMethods {
    private let router: Router
    private let prefix: String
    private let scope: MiddlewareScope

    init(router: Router, prefix: String, scope: MiddlewareScope) {
        self.router = router
        self.prefix = prefix
        self.scope = scope
    }

    /// Adds middleware for the routes of this group and its subgroups,
    /// including routes registered before this call. It runs inside the
    /// router's middleware, the enclosing groups' middleware and the group
    /// middleware added before it.
    @discardableResult
    public func add(middleware: any RouterMiddleware) -> Self {
        scope.middleware.append(middleware)
        return self
    }

    /// Returns a subgroup with a longer prefix and its own middleware, run
    /// inside this group's middleware.
    public func group(_ prefix: String) -> RouterGroup {
        RouterGroup(
            router: router,
            prefix: joinPath(prefix: self.prefix, path: prefix),
            scope: MiddlewareScope(parent: scope)
        )
    }

    @discardableResult
    public func on<Output: ResponseGenerator>(
        _ path: String,
        method: HTTPMethod,
        use handler: @escaping @Sendable (Request, RequestContext) async throws -> Output
    ) -> Self {
        router.register(
            joinPath(prefix: prefix, path: path),
            method: method,
            scope: scope,
            handler: makeRouteHandler(handler)
        )
        return self
    }
}

/// The middleware of one group, linked to the enclosing group's.
final class MiddlewareScope {
    let parent: MiddlewareScope?
    var middleware: [any RouterMiddleware] = []

    init(parent: MiddlewareScope?) {
        self.parent = parent
    }

    /// The middleware of the enclosing groups, outermost first, then this group's.
    var middlewareFromOutermost: [any RouterMiddleware] {
        (parent?.middlewareFromOutermost ?? []) + middleware
    }
}
