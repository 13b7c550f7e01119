/// The JSON bodies of the admin API; the OpenAPI document describes them.
struct ConfigurationView: Codable, Sendable {
    var generation: Int
    var origin: String
    var routes: Int
    var upstreams: Int
    var source: String
}

struct ValidationView: Codable, Sendable {
    var valid: Bool
    var problems: [GatewayConfigurationError.Problem]
    var generation: Int?
}

struct RouteView: Codable, Sendable {
    var name: String
    var match: String
    var hosts: [String]
    var methods: [String]
    var priority: Int
    var upstream: String
    var plugins: [String]
    var statistics: RouteStatistics
}

struct UpstreamView: Codable, Sendable {
    struct Instance: Codable, Sendable {
        var id: String
        var endpoint: String
        var version: String
        /// UP, DRAINING or DOWN, as discovery reports it.
        var status: String
        /// False after failed active health checks.
        var healthy: Bool
        var ejected: Bool
        var lastHealthCheckError: String?
    }

    var name: String
    var service: String?
    var loadBalancing: String
    /// closed, open, halfOpen, or none without a breaker.
    var circuitBreaker: String
    var retryBudgetBalance: Double
    var instances: [Instance]
}
