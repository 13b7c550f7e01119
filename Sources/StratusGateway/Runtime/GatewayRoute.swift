import StratusHTTP
import StratusResilience

/// The running form of one route: its compiled rewrites, policies, plugin
/// chain and upstream. Built for each configuration and immutable.
final class GatewayRoute: Sendable {
    let configuration: RouteConfiguration
    let upstream: Upstream
    let forwarder: Forwarder
    let rewrite: PathRewrite
    let requestHeaders: HeaderRewrite
    let responseHeaders: HeaderRewrite
    let forwarding: ForwardingHeaders
    /// The body limit enforced while streaming: the smaller of
    /// `settings.maxBodySize` and an enforcing `bodyLimit` policy.
    let bodyLimit: Int64
    let fallback: FallbackConfiguration?
    let cache: StaleResponseCache?
    let metrics: RouteMetrics
    let gatewayMetrics: GatewayMetrics
    /// The plugins and policies that run before the proxy, outermost first.
    let middleware: [any RouterMiddleware]

    var name: String { configuration.name }

    init(
        configuration: RouteConfiguration,
        compiled: CompiledRoute,
        upstream: Upstream,
        upstreamMetrics: UpstreamMetrics,
        settings: GatewaySettings,
        middleware: [any RouterMiddleware],
        metrics: GatewayMetrics
    ) {
        self.configuration = configuration
        self.upstream = upstream
        forwarder = Forwarder(upstream: upstream, metrics: upstreamMetrics)
        rewrite = compiled.rewrite
        requestHeaders = compiled.requestHeaders
        responseHeaders = compiled.responseHeaders
        forwarding = ForwardingHeaders(trustedProxies: settings.trustedProxies)
        var limit = settings.maxBodySize
        if let policy = configuration.policies.bodyLimit, !policy.dryRun {
            limit = min(limit, policy.maxBytes)
        }
        bodyLimit = limit
        fallback = configuration.policies.fallback
        cache = fallback.flatMap { fallback in
            fallback.serveStale ? StaleResponseCache(maxEntries: fallback.maxCachedResponses, maxBodySize: fallback.maxCachedBodySize, maxAge: fallback.staleFor) : nil
        }
        self.metrics = RouteMetrics(registry: metrics.registry, route: configuration.name, upstream: upstream.name)
        gatewayMetrics = metrics
        self.middleware = middleware
    }
}
