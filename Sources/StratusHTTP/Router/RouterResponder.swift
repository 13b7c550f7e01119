/// The frozen router: the route trie and the router middleware around it.
///
/// The route is matched before the router middleware runs, so middleware sees
/// `context.route` (the matched template, for metrics and access logs) and
/// the captured parameters. Middleware that rewrites the path therefore does
/// not change which route runs.
struct RouterResponder: HTTPResponder {
    private let entry: RouteHandler
    private let root: RouteNode

    init(root: RouteNode, middleware: [any RouterMiddleware]) {
        self.root = root
        entry = chain(middleware) { request, context in
            try await Self.dispatch(request, context: context)
        }
    }

    func respond(to request: Request, context: RequestContext) async throws -> Response {
        var context = context
        let match = root.match(path: request.path, method: request.method)
        if case .found(let endpoint, let captures) = match {
            context.route = endpoint.template.description
            for (name, value) in zip(endpoint.captureNames, captures) {
                context.parameters.set(name, value)
            }
        }
        context.routeMatch = match
        return try await entry(request, context)
    }

    private static func dispatch(_ request: Request, context: RequestContext) async throws -> Response {
        switch context.routeMatch ?? .notFound {
        case .found(let endpoint, _):
            return try await endpoint.handler(request, context)
        case .methodNotAllowed(let allowed):
            return HTTPError(.methodNotAllowed, headers: ["Allow": allowHeaderValue(allowed)]).response
        case .notFound:
            return HTTPError(.notFound).response
        }
    }

    /// Lists the methods in alphabetical order, adding HEAD when GET is
    /// present because HEAD requests fall back to GET handlers.
    static func allowHeaderValue(_ methods: Set<HTTPMethod>) -> String {
        var methods = methods
        if methods.contains(.get) {
            methods.insert(.head)
        }
        return methods.map(\.rawValue).sorted().joined(separator: ", ")
    }
}
