import StratusDiscovery
import StratusHTTP
import StratusResilience

/// One applied configuration in running form: the route table and each
/// route's handler chain, the upstreams, and the policies. Immutable; a
/// reload builds a new state and swaps it in, and requests that started on
/// the old state finish on it.
final class GatewayState: Sendable {
    typealias Handler = @Sendable (Request, RequestContext) async throws -> Response

    let generation: Int
    let validated: ValidatedGatewayConfiguration
    let table: RouteTable
    let routes: [GatewayRoute]
    /// The full chain of each route, by configuration index.
    let handlers: [Handler]
    /// The chain for requests that match no route or are rejected before
    /// routing: the same outer middleware around a fixed response.
    let unmatched: Handler
    let normalizer: PathNormalizer
    let upstreams: [String: Upstream]
    let controlPlane: ControlPlaneClient?
    let rateLimiters: [String: (RateLimitConfiguration, KeyedRateLimiter)]
    let concurrencyLimiters: [String: (ConcurrencyConfiguration, ConcurrencyLimiter)]

    var configuration: GatewayConfiguration { validated.configuration }

    init(
        generation: Int,
        validated: ValidatedGatewayConfiguration,
        routes: [GatewayRoute],
        handlers: [Handler],
        unmatched: @escaping Handler,
        upstreams: [String: Upstream],
        controlPlane: ControlPlaneClient?,
        rateLimiters: [String: (RateLimitConfiguration, KeyedRateLimiter)],
        concurrencyLimiters: [String: (ConcurrencyConfiguration, ConcurrencyLimiter)]
    ) {
        self.generation = generation
        self.validated = validated
        let settings = validated.configuration.settings
        table = RouteTable(validated.routes.map(\.matcher), caseSensitive: settings.paths.caseSensitive)
        self.routes = routes
        self.handlers = handlers
        self.unmatched = unmatched
        normalizer = PathNormalizer(keepEncodedSlashes: settings.paths.encodedSlashes == .keep)
        self.upstreams = upstreams
        self.controlPlane = controlPlane
        self.rateLimiters = rateLimiters
        self.concurrencyLimiters = concurrencyLimiters
    }
}
