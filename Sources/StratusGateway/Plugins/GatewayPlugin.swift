public import StratusHTTP
public import StratusLog
public import StratusTelemetry
import StratusKit

/// Where a plugin runs in a route's chain. Phases run in the order of
/// their cases, outermost first; plugins of one phase run in name order.
/// The gateway's own policies (rate limits, concurrency, body limit) run
/// after every plugin, so a rate limit per consumer sees the consumer an
/// auth plugin identified.
public enum GatewayPluginPhase: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// Responds before any check, such as to CORS preflight requests.
    case preflight
    /// Rejects by address or request shape, such as IP allow and deny lists.
    case access
    /// Identifies the consumer: JWT, API keys, basic auth.
    case authentication
    /// Decides with the consumer known, such as external authorization.
    case authorization

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The values a plugin may use while the gateway builds it for one route.
public struct GatewayPluginContext: Sendable {
    /// The route's name.
    public let route: String
    /// Names of the configured consumers.
    public let consumers: [String]
    /// The logger plugins log decisions and errors through.
    public let logger: Logger
    public let metrics: MetricsRegistry
    /// Counts one decision of the plugin under
    /// `stratus_gateway_policy_decisions_total{route, policy, decision}`;
    /// `decision` is `admitted`, `rejected` or `would_reject` (dry run).
    public let recordDecision: @Sendable (_ decision: String) -> Void
}

/// A consumer's credential for one plugin: the value of
/// `consumers[i].credentials.<plugin>`, decoded as the plugin's type.
public struct GatewayConsumerCredential<Credential: Sendable>: Sendable {
    public let consumer: String
    public let credential: Credential
}

/// Builds a plugin's middleware from its YAML settings. Register one with
/// `GatewayPluginRegistry.register(_:)` under the name routes use in
/// `plugins`.
///
/// The gateway decodes a route's `plugins.<name>` value as
/// `Configuration`, with the same error messages as the rest of the file
/// (file, line, column and key path), and every consumer's
/// `credentials.<name>` value as `Credential`. A thrown error rejects the
/// whole configuration and names the route and plugin.
public struct GatewayPluginFactory: Sendable {
    public let name: String
    public let phase: GatewayPluginPhase
    let build: @Sendable (ConfigurationLoader, _ keyPath: String, _ credentialPaths: [(consumer: String, keyPath: String)], GatewayPluginContext) throws -> any RouterMiddleware
    let checkCredential: @Sendable (ConfigurationLoader, _ keyPath: String) throws -> Void

    public init<Configuration: Decodable & Sendable, Credential: Decodable & Sendable>(
        name: String,
        phase: GatewayPluginPhase,
        configuration: Configuration.Type,
        credential: Credential.Type,
        make: @escaping @Sendable (Configuration, [GatewayConsumerCredential<Credential>], GatewayPluginContext) throws -> any RouterMiddleware
    ) {
        self.name = name
        self.phase = phase
        build = { loader, keyPath, credentialPaths, context in
            let settings = try GatewayPluginValue(keyPath: keyPath, loader: loader).decode(Configuration.self)
            var credentials: [GatewayConsumerCredential<Credential>] = []
            for (consumer, path) in credentialPaths {
                if let credential = try loader.load(Credential.self, at: path) {
                    credentials.append(GatewayConsumerCredential(consumer: consumer, credential: credential))
                }
            }
            return try make(settings, credentials, context)
        }
        checkCredential = { loader, keyPath in
            _ = try loader.load(Credential.self, at: keyPath)
        }
    }

    /// A plugin without consumer credentials.
    public init<Configuration: Decodable & Sendable>(
        name: String,
        phase: GatewayPluginPhase,
        configuration: Configuration.Type,
        make: @escaping @Sendable (Configuration, GatewayPluginContext) throws -> any RouterMiddleware
    ) {
        self.init(name: name, phase: phase, configuration: configuration, credential: NoCredential.self) { settings, _, context in
            try make(settings, context)
        }
        acceptsCredentials = false
    }

    /// Whether consumers may carry credentials for this plugin.
    public private(set) var acceptsCredentials = true
}

/// The credential type of plugins that take none; decoding it fails.
public struct NoCredential: Decodable, Sendable {
    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "this plugin takes no consumer credentials"))
    }
}
