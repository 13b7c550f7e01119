import StratusGateway
import StratusHTTP
import StratusLog
import StratusStore
import Synchronization

/// The security policies prepared for one gateway configuration: its
/// consumers, the client address resolver of its trusted proxies, and the
/// rate limit middleware of its routes, which the next configuration keeps
/// where a route's limit did not change.
final class PreparedPolicySuite: GatewayPreparedPluginSuite {
    private let store: (any KeyValueStore)?
    private let resolveService: ServiceResolver?
    private let decisionRecorder: @Sendable (_ route: String, _ policy: String) -> @Sendable (String) -> Void
    /// The rate limit middleware of the configuration in use, which routes
    /// whose limits did not change keep. Copied, so that the previous
    /// configuration is not kept alive.
    private let inheritedRateLimits: [RateLimitReuseKey: GatewayRateLimitMiddleware]
    private let consumers: ConsumerRegistry
    private let clientAddresses: ClientAddressResolver
    private let httpClient: HTTPClient
    private let logger: Logger
    /// The rate limit middleware that the routes of this configuration
    /// use, filled while the gateway builds them.
    private let rateLimits = Mutex<[RateLimitReuseKey: GatewayRateLimitMiddleware]>([:])

    /// Decodes and checks the consumers and trusted proxies.
    ///
    /// - Throws: `GatewayPluginProblems` with each problem located in the file.
    init(context: GatewayPluginSuiteContext, httpClient: HTTPClient, logger: Logger) throws {
        store = context.store
        resolveService = context.resolveService
        decisionRecorder = context.decisionRecorder
        inheritedRateLimits = (context.previous as? PreparedPolicySuite)?.rateLimits.withLock { $0 } ?? [:]
        self.httpClient = httpClient
        self.logger = logger
        var problems: [any Error] = []
        var proxies: [CIDR] = []
        for (index, block) in context.settings.trustedProxies.enumerated() {
            do throws(CIDR.ParseError) {
                proxies.append(try CIDR(block.description))
            } catch {
                problems.append(context.value(at: "settings.trustedProxies[\(index)]").error("expected an address or address block such as 10.0.0.0/8; \(error.reason)"))
            }
        }
        clientAddresses = ClientAddressResolver(trustedProxies: proxies)
        var configurations: [ConsumerConfiguration] = []
        for consumer in context.consumers {
            do {
                configurations.append(try consumer.value.decodePolicy(ConsumerConfiguration.self))
            } catch {
                problems.append(error)
            }
        }
        if problems.isEmpty {
            do throws(PolicyConfigurationError) {
                consumers = try ConsumerRegistry(configurations)
            } catch {
                problems.append(error.located(in: context.value(at: "")))
                consumers = .empty
            }
        } else {
            consumers = .empty
        }
        guard problems.isEmpty else { throw GatewayPluginProblems(problems) }
    }

    /// Returns the middleware of one route: its policies in `PolicyPlugins`
    /// order, each counted in the gateway's decision metric. A route
    /// without policies gets `ConsumerHeaderSanitizer` alone.
    func middleware(for route: GatewayPluginSuiteRoute) throws -> [any RouterMiddleware] {
        var decoded: [String: any Decodable & Sendable] = [:]
        var problems: [any Error] = []
        for (name, value) in route.plugins {
            do {
                let configuration = try value.decodePolicy(PolicyPlugins.configurationType(of: name))
                try checkDependencies(configuration, value: value)
                decoded[name] = configuration
            } catch {
                problems.append(error)
            }
        }
        guard problems.isEmpty else { throw GatewayPluginProblems(problems) }

        var environment = PolicyEnvironment(
            routeName: route.name, consumers: consumers, clientAddresses: clientAddresses, httpClient: httpClient,
            resolveService: resolveService, store: store, logger: logger
        )
        environment.reusableRateLimits = inheritedRateLimits
        var builder = RoutePolicyBuilder(environment: environment)
        let named: [(policy: String, middleware: any RouterMiddleware)]
        do throws(PolicyConfigurationError) {
            for name in PolicyPlugins.names {
                guard let configuration = decoded[name] else { continue }
                try builder.add(name, configuration)
            }
            named = try builder.buildNamed()
        } catch {
            // The builder prefixes the field with the plugin name.
            throw error.located(in: route.value.child("plugins"))
        }
        return chain(named, route: route.name)
    }

    /// Wraps each policy in its decision counter and records the rate
    /// limits for the next configuration.
    private func chain(_ named: [(policy: String, middleware: any RouterMiddleware)], route: String) -> [any RouterMiddleware] {
        var result: [any RouterMiddleware] = []
        for (policy, middleware) in named {
            if let rateLimit = middleware as? GatewayRateLimitMiddleware {
                rateLimits.withLock { $0[rateLimit.reuseKey] = rateLimit }
            }
            guard policy != "consumerHeaders" else {
                result.append(middleware)
                continue
            }
            result.append(PolicyDecisionCounter(policy: middleware, record: decisionRecorder(route, policy)))
        }
        return result
    }

    /// Checks what a plugin needs from the gateway: the control plane's
    /// store for a cluster rate limit, and discovery for an `extAuthz`
    /// service.
    private func checkDependencies(_ configuration: any Decodable & Sendable, value: GatewayPluginValue) throws {
        if let limit = configuration as? RateLimitConfiguration, limit.scope == .cluster, store == nil {
            throw value.error(
                "cluster scope counts in the control plane's store, and this gateway has none: add the control plane's URL to settings.controlPlane, such as http://127.0.0.1:7700, start the gateway with --config-store URL, or use scope: local",
                at: "scope"
            )
        }
        if let authorization = configuration as? ExtAuthzConfiguration, authorization.service != nil, resolveService == nil {
            throw value.error(
                "a service name needs discovery: add the control plane's URL to settings.controlPlane, such as http://127.0.0.1:7700, or give url instead",
                at: "service"
            )
        }
    }
}
