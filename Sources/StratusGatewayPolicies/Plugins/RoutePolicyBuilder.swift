import StratusHTTP

/// Collects a route's decoded plugin configurations in `PolicyPlugins`
/// order and builds the middleware list, combining the authentication
/// plugins into one middleware.
struct RoutePolicyBuilder {
    let environment: PolicyEnvironment
    /// The middleware with the name of its policy: a plugin name, or
    /// `authentication` for the combined authentication plugins.
    private var middleware: [(policy: String, middleware: any RouterMiddleware)] = []
    private var authenticators: [any Authenticator] = []
    /// The anonymous consumer's name and the plugin that named it.
    private var anonymous: (name: String, plugin: String)?
    private var authenticationIndex: Int?

    init(environment: PolicyEnvironment) {
        self.environment = environment
    }

    mutating func add(_ name: String, _ configuration: any Decodable & Sendable) throws(PolicyConfigurationError) {
        let environment = self.environment
        try Result.prefixing(name) { () throws(PolicyConfigurationError) in
            switch configuration {
            case let configuration as IPRestrictionConfiguration:
                middleware.append((name, try IPRestrictionMiddleware(configuration: configuration, clientAddresses: environment.clientAddresses, logger: environment.logger)))
            case let configuration as CORSConfiguration:
                middleware.append((name, try CORSMiddleware(configuration: configuration, logger: environment.logger)))
            case let configuration as JWTConfiguration:
                try addAuthenticator(
                    try JWTAuthenticator(
                        configuration: configuration, consumers: environment.consumers, client: environment.httpClient,
                        clock: environment.wallClock, monotonicClock: environment.monotonicClock, logger: environment.logger
                    ),
                    anonymous: configuration.anonymous, plugin: name
                )
            case let configuration as KeyAuthConfiguration:
                try addAuthenticator(try APIKeyAuthenticator(configuration: configuration, consumers: environment.consumers), anonymous: configuration.anonymous, plugin: name)
            case let configuration as BasicAuthConfiguration:
                let authenticator = try BasicAuthenticator(configuration: configuration, consumers: environment.consumers, clock: environment.monotonicClock)
                try addAuthenticator(authenticator, anonymous: configuration.anonymous, plugin: name)
            case let configuration as ExtAuthzConfiguration:
                let authorization = try ExtAuthzMiddleware(
                    configuration: configuration, clientAddresses: environment.clientAddresses,
                    resolveService: environment.resolveService, clock: environment.monotonicClock, logger: environment.logger
                )
                middleware.append((name, authorization))
            case let configuration as RateLimitConfiguration:
                middleware.append((name, try rateLimit(configuration)))
            default:
                preconditionFailure("PolicyPlugins decoded an unknown configuration type \(type(of: configuration))")
            }
        }.get()
    }

    private mutating func addAuthenticator(_ authenticator: any Authenticator, anonymous name: String?, plugin: String) throws(PolicyConfigurationError) {
        if authenticationIndex == nil {
            authenticationIndex = middleware.count
        }
        authenticators.append(authenticator)
        guard let name else { return }
        guard environment.consumers.consumer(named: name) != nil else {
            throw PolicyConfigurationError(field: "anonymous", value: name, expected: "the name of a consumer in consumers")
        }
        if let existing = anonymous, existing.name != name {
            throw PolicyConfigurationError(field: "anonymous", value: name, expected: "the same anonymous consumer as \(existing.plugin), \(existing.name)")
        }
        anonymous = (name, plugin)
    }

    /// Returns the route's rate limit middleware: the one in use for the
    /// same route and settings when the environment has it, else a new one.
    private func rateLimit(_ configuration: RateLimitConfiguration) throws(PolicyConfigurationError) -> GatewayRateLimitMiddleware {
        let key = RateLimitReuseKey(
            configuration: configuration, routeName: environment.routeName, store: environment.store,
            consumers: environment.consumers, clientAddresses: environment.clientAddresses
        )
        if let kept = environment.reusableRateLimits[key] {
            return kept
        }
        return try GatewayRateLimitMiddleware(
            configuration: configuration, routeName: environment.routeName, store: environment.store,
            consumers: environment.consumers, clientAddresses: environment.clientAddresses,
            clock: environment.wallClock, monotonicClock: environment.monotonicClock, logger: environment.logger
        )
    }

    func build() throws(PolicyConfigurationError) -> [any RouterMiddleware] {
        try buildNamed().map(\.middleware)
    }

    /// Returns the middleware in order, each with the name of its policy;
    /// `ConsumerHeaderSanitizer` has the name `consumerHeaders`.
    func buildNamed() throws(PolicyConfigurationError) -> [(policy: String, middleware: any RouterMiddleware)] {
        var result = middleware
        guard let index = authenticationIndex else {
            result.insert((policy: "consumerHeaders", middleware: ConsumerHeaderSanitizer()), at: 0)
            return result
        }
        let anonymousConsumer = anonymous.flatMap { environment.consumers.consumer(named: $0.name) }
        let authentication = AuthenticationMiddleware(authenticators: authenticators, anonymous: anonymousConsumer, logger: environment.logger)
        result.insert((policy: "authentication", middleware: authentication), at: index)
        return result
    }
}
