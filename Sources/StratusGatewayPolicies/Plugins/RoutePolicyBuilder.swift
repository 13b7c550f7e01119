import StratusHTTP

/// Collects a route's decoded plugin configurations in `PolicyPlugins`
/// order and builds the middleware list, combining the authentication
/// plugins into one middleware.
struct RoutePolicyBuilder {
    let environment: PolicyEnvironment
    private var middleware: [any RouterMiddleware] = []
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
                middleware.append(try IPRestrictionMiddleware(configuration: configuration, clientAddresses: environment.clientAddresses, logger: environment.logger))
            case let configuration as CORSConfiguration:
                middleware.append(try CORSMiddleware(configuration: configuration, logger: environment.logger))
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
                middleware.append(
                    try ExtAuthzMiddleware(
                        configuration: configuration, clientAddresses: environment.clientAddresses,
                        resolveService: environment.resolveService, clock: environment.monotonicClock, logger: environment.logger
                    )
                )
            case let configuration as RateLimitConfiguration:
                middleware.append(
                    try GatewayRateLimitMiddleware(
                        configuration: configuration, routeName: environment.routeName, store: environment.store,
                        consumers: environment.consumers, clientAddresses: environment.clientAddresses,
                        clock: environment.wallClock, monotonicClock: environment.monotonicClock, logger: environment.logger
                    )
                )
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

    func build() throws(PolicyConfigurationError) -> [any RouterMiddleware] {
        guard let index = authenticationIndex else {
            return [ConsumerHeaderSanitizer()] + middleware
        }
        var result = middleware
        let anonymousConsumer = anonymous.flatMap { environment.consumers.consumer(named: $0.name) }
        result.insert(AuthenticationMiddleware(authenticators: authenticators, anonymous: anonymousConsumer, logger: environment.logger), at: index)
        return result
    }
}
