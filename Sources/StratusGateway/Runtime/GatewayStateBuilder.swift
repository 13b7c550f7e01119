import StratusDiscovery
import StratusHTTP
import StratusLog
import StratusResilience
import StratusTelemetry

/// Builds the running form of a validated configuration, reusing from the
/// previous state every upstream whose configuration is unchanged and
/// every rate or concurrency limiter whose route and settings are, so a
/// reload keeps connections, ejections, breaker states and quotas.
struct GatewayStateBuilder {
    let logger: Logger
    let metrics: GatewayMetrics
    let accessLogger: Logger?
    let connections: GatewayConnections
    let loadShedder: LoadShedder?

    /// Returns the new state and the upstreams of `previous` it no longer uses.
    func build(_ validated: ValidatedGatewayConfiguration, generation: Int, previous: GatewayState?) async -> (GatewayState, retired: [Upstream]) {
        let configuration = validated.configuration
        let controlPlane = connections.controlPlane(for: configuration.settings.controlPlane)
        var upstreams: [String: Upstream] = [:]
        for upstreamConfiguration in configuration.upstreams {
            if let old = previous?.upstreams[upstreamConfiguration.name], old.configuration == upstreamConfiguration,
               previous?.configuration.settings.controlPlane == configuration.settings.controlPlane || upstreamConfiguration.service == nil {
                upstreams[upstreamConfiguration.name] = old
                continue
            }
            let upstream = Upstream(configuration: upstreamConfiguration, controlPlane: controlPlane, logger: logger)
            await upstream.start()
            upstreams[upstreamConfiguration.name] = upstream
        }
        let retired = previous.map { old in old.upstreams.values.filter { upstream in upstreams[upstream.name] !== upstream } } ?? []

        var rateLimiters: [String: (RateLimitConfiguration, KeyedRateLimiter)] = [:]
        var concurrencyLimiters: [String: (ConcurrencyConfiguration, ConcurrencyLimiter)] = [:]
        var routes: [GatewayRoute] = []
        var handlers: [GatewayState.Handler] = []
        let consumers = Set(configuration.consumers.map(\.name))
        for (index, route) in configuration.routes.enumerated() {
            let upstream = upstreams[route.upstream]!
            var middleware = validated.routes[index].plugins
            middleware += policies(for: route, settings: configuration.settings, previous: previous, rateLimiters: &rateLimiters, concurrencyLimiters: &concurrencyLimiters)
            let gatewayRoute = GatewayRoute(
                configuration: route, compiled: validated.routes[index], upstream: upstream,
                upstreamMetrics: UpstreamMetrics(registry: metrics.registry, upstream: upstream.name),
                settings: configuration.settings, middleware: middleware, metrics: metrics
            )
            routes.append(gatewayRoute)
            let tracksConsumers = !route.pluginNames.isEmpty || !configuration.settings.consumerHeader.isEmpty
                || route.policies.rateLimits.contains { $0.key == .consumer }
            let outer = outerMiddleware(gatewayRoute.metrics, settings: configuration.settings, consumers: consumers, tracksConsumers: tracksConsumers)
            handlers.append(chain(outer + middleware) { request, context in
                await gatewayRoute.proxy(request, context: context)
            })
        }
        let unmatchedMetrics = RouteMetrics(registry: metrics.registry, route: "unmatched", upstream: "none")
        let unmatched = chain(outerMiddleware(unmatchedMetrics, settings: configuration.settings, consumers: consumers, tracksConsumers: false, shedding: false)) { _, context in
            context.rejection
        }
        registerUpstreamGauges(upstreams)
        let state = GatewayState(
            generation: generation, validated: validated, routes: routes, handlers: handlers, unmatched: unmatched,
            upstreams: upstreams, controlPlane: controlPlane, rateLimiters: rateLimiters, concurrencyLimiters: concurrencyLimiters
        )
        return (state, retired)
    }

    /// Returns the middleware every route shares, outermost first.
    private func outerMiddleware(_ routeMetrics: RouteMetrics, settings: GatewaySettings, consumers: Set<String>, tracksConsumers: Bool, shedding: Bool = true) -> [any RouterMiddleware] {
        var middleware: [any RouterMiddleware] = [
            GatewayEntryMiddleware(metrics: routeMetrics, consumerHeader: settings.consumerHeader, consumers: consumers, tracksConsumers: tracksConsumers),
            RequestIDMiddleware(),
        ]
        if settings.accessLog, let accessLogger {
            middleware.append(AccessLogMiddleware(logger: accessLogger))
        }
        middleware.append(RecoveryMiddleware())
        if shedding, let loadShedder, let settings = settings.loadShedding {
            middleware.append(LoadSheddingPolicy(shedder: loadShedder, dryRun: settings.dryRun, record: metrics.decisionRecorder(route: "*", policy: "loadShedding")))
        }
        return middleware
    }

    /// Returns the route's own policies, which run after its plugins: rate
    /// limits, then the concurrency limit, then the body limit.
    private func policies(
        for route: RouteConfiguration,
        settings: GatewaySettings,
        previous: GatewayState?,
        rateLimiters: inout [String: (RateLimitConfiguration, KeyedRateLimiter)],
        concurrencyLimiters: inout [String: (ConcurrencyConfiguration, ConcurrencyLimiter)]
    ) -> [any RouterMiddleware] {
        var middleware: [any RouterMiddleware] = []
        let forwarding = ForwardingHeaders(trustedProxies: settings.trustedProxies)
        for (index, limit) in route.policies.rateLimits.enumerated() {
            let key = "\(route.name)#\(index)"
            var limiter = RateLimitPolicy.makeLimiter(limit)
            if let (old, kept) = previous?.rateLimiters[key], old == limit { limiter = kept }
            rateLimiters[key] = (limit, limiter)
            middleware.append(RateLimitPolicy(limiter: limiter, configuration: limit, forwarding: forwarding, record: metrics.decisionRecorder(route: route.name, policy: "rateLimit.\(limit.key.rawValue)")))
        }
        if let concurrency = route.policies.concurrency {
            var limiter = ConcurrencyLimiter(limit: concurrency.limit, mode: .enforce)
            if let (old, kept) = previous?.concurrencyLimiters[route.name], old.limit == concurrency.limit { limiter = kept }
            concurrencyLimiters[route.name] = (concurrency, limiter)
            middleware.append(ConcurrencyPolicy(limiter: limiter, dryRun: concurrency.dryRun, record: metrics.decisionRecorder(route: route.name, policy: "concurrency")))
        }
        if let bodyLimit = route.policies.bodyLimit {
            middleware.append(BodyLimitPolicy(configuration: bodyLimit, record: metrics.decisionRecorder(route: route.name, policy: "bodyLimit")))
        }
        return middleware
    }

    /// Registers gauges of instance states and breaker phases, read at scrape time.
    private func registerUpstreamGauges(_ upstreams: [String: Upstream]) {
        for upstream in upstreams.values {
            for state in ["available", "ejected", "unhealthy"] {
                try? metrics.registry.makeGauge(
                    label: "stratus_gateway_upstream_instances", dimensions: [("upstream", upstream.name), ("state", state)],
                    help: "Instances of an upstream by state: available, ejected by outlier detection, or unhealthy by active checks."
                ) { [weak upstream] in
                    guard let upstream else { return 0 }
                    return Double(upstream.instanceCount(state))
                }
            }
            try? metrics.registry.makeGauge(
                label: "stratus_gateway_circuit_breaker_open", dimensions: [("upstream", upstream.name)],
                help: "1 while the upstream's circuit breaker is open or half-open, else 0."
            ) { [weak upstream] in
                guard let phase = upstream?.breaker?.phase else { return 0 }
                if case .closed = phase { return 0 }
                return 1
            }
        }
    }
}

extension Upstream {
    /// Returns the number of instances in `state`: available, ejected or unhealthy.
    func instanceCount(_ state: String) -> Int {
        switch state {
        case "ejected": outliers.ejectedIDs().count
        case "unhealthy": health?.unhealthyIDs.count ?? 0
        default: available().upInstances.count
        }
    }
}
