import StratusDiscovery
import StratusHTTP
import StratusResilience
import StratusTelemetry

/// The admin API: configuration (show, validate, apply), routes with their
/// statistics, upstreams with instance health, ejections and breaker
/// state, metrics and this API's OpenAPI document.
struct AdminAPI: Sendable {
    let runtime: GatewayRuntime
    let token: String?

    /// Largest configuration accepted over the API, in bytes.
    static let maxConfigurationSize = 4 << 20

    func register(on router: Router) {
        router.add(middleware: RecoveryMiddleware())
        router.add(middleware: AdminAuthMiddleware(token: token.map { Array($0.utf8) }))
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ in "ok\n" }
        router.get("/openapi.json") { _, _ in
            Response(headers: ["Content-Type": "application/json"], body: OutgoingBody(string: AdminOpenAPIDocument.json))
        }
        router.addMetricsRoute("/metrics", registry: runtime.metrics.registry)
        router.get("/admin/config") { _, _ in try configuration() }
        router.post("/admin/config/validate") { request, _ in try await validate(request) }
        router.put("/admin/config") { request, _ in try await apply(request) }
        router.get("/admin/routes") { _, _ in try Response.json(routes()) }
        router.get("/admin/routes/:name") { _, context in
            guard let route = routes().first(where: { $0.name == context.parameters["name"] }) else {
                return notFound("route", context.parameters["name"] ?? "")
            }
            return try Response.json(route)
        }
        router.get("/admin/upstreams") { _, _ in try Response.json(upstreams()) }
        router.get("/admin/upstreams/:name") { _, context in
            guard let upstream = upstreams().first(where: { $0.name == context.parameters["name"] }) else {
                return notFound("upstream", context.parameters["name"] ?? "")
            }
            return try Response.json(upstream)
        }
    }

    private func notFound(_ kind: String, _ name: String) -> Response {
        GatewayErrorResponse.make(.notFound, reason: "not_found", message: "no \(kind) named \"\(name)\" in the configuration in use")
    }

    private func configuration() throws -> Response {
        let state = runtime.responder.current
        return try Response.json(ConfigurationView(
            generation: state.generation, origin: state.validated.origin, routes: state.routes.count,
            upstreams: state.upstreams.count, source: state.validated.source
        ))
    }

    private func validate(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: Self.maxConfigurationSize)
        do {
            _ = try runtime.validate(yaml: body, origin: "request body")
            return try Response.json(ValidationView(valid: true, problems: []))
        } catch let error as GatewayConfigurationError {
            return try Response.json(ValidationView(valid: false, problems: error.problems), status: .unprocessableContent)
        }
    }

    private func apply(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: Self.maxConfigurationSize)
        do {
            let generation = try await runtime.apply(yaml: body, origin: "admin API")
            return try Response.json(ValidationView(valid: true, problems: [], generation: generation))
        } catch let error as GatewayConfigurationError {
            return try Response.json(ValidationView(valid: false, problems: error.problems), status: .unprocessableContent)
        }
    }

    private func routes() -> [RouteView] {
        let state = runtime.responder.current
        return state.routes.map { route in
            let configuration = route.configuration
            return RouteView(
                name: route.name, match: configuration.match.path.description, hosts: configuration.match.hosts,
                methods: configuration.match.methods, priority: configuration.priority, upstream: route.upstream.name,
                plugins: configuration.pluginNames.sorted(), statistics: route.metrics.statistics
            )
        }
    }

    private func upstreams() -> [UpstreamView] {
        let state = runtime.responder.current
        return state.upstreams.values.sorted { $0.name < $1.name }.map(Self.view)
    }

    static func view(of upstream: Upstream) -> UpstreamView {
        let ejected = upstream.outliers.ejectedIDs()
        let unhealthy = upstream.health?.unhealthyIDs ?? []
        let instances = upstream.source.snapshot.instances.map { instance in
            UpstreamView.Instance(
                id: instance.id, endpoint: instance.endpoint, version: instance.version, status: instance.status.rawValue,
                healthy: !unhealthy.contains(instance.id), ejected: ejected.contains(instance.id),
                lastHealthCheckError: upstream.health?.lastError(of: instance.id)
            )
        }
        var breaker = "none"
        if let phase = upstream.breaker?.phase {
            switch phase {
            case .closed: breaker = "closed"
            case .open: breaker = "open"
            case .halfOpen: breaker = "halfOpen"
            }
        }
        return UpstreamView(
            name: upstream.name, service: upstream.configuration.service, loadBalancing: upstream.configuration.loadBalancing.rawValue,
            circuitBreaker: breaker, retryBudgetBalance: upstream.retryBudget.balance, instances: instances
        )
    }
}
