/// The frozen router: the route trie and the router middleware around it.
struct RouterResponder: HTTPResponder {
    private let entry: RouteHandler

    init(root: RouteNode, middleware: [any RouterMiddleware]) {
        entry = chain(middleware) { request, context in
            try await Self.dispatch(request, context: context, root: root)
        }
    }

    func respond(to request: Request, context: RequestContext) async throws -> Response {
        try await entry(request, context)
    }

    private static func dispatch(_ request: Request, context: RequestContext, root: RouteNode) async throws -> Response {
        switch root.match(path: request.path, method: request.method) {
        case .found(let endpoint, let captures):
            var context = context
            for (name, value) in zip(endpoint.captureNames, captures) {
                context.parameters.set(name, value)
            }
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
