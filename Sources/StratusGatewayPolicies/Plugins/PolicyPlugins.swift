public import StratusHTTP

/// Builds a route's policy middleware from the plugins of its configuration.
///
/// ```yaml
/// routes:
///   - path: /v1/invoices
///     plugins:
///       cors: {allowOrigins: ["https://app.example.com"]}
///       jwt: {algorithms: [RS256], jwksURL: "http://127.0.0.1:9000/jwks.json"}
///       keyAuth: {}
///       rateLimit: {rate: 100, key: consumer, scope: cluster}
/// ```
///
/// The gateway passes the plugins whose names are in `names` with a
/// `Decoder` positioned at each plugin's value (for the kit's configuration
/// loader, `superDecoder(forKey:)` of the `plugins` mapping).
public enum PolicyPlugins {
    /// The plugin names, in the order their middleware runs, whatever the
    /// order in the configuration: cheap rejections first, CORS before
    /// authentication because preflight requests carry no credentials, and
    /// rate limits last so that a consumer's limit can apply.
    public static let names = ["ipRestriction", "cors", "jwt", "keyAuth", "basicAuth", "extAuthz", "rateLimit"]

    /// The plugins that authenticate; a route's are combined into one
    /// `AuthenticationMiddleware` in which the first method whose
    /// credential the request carries decides.
    public static let authenticationNames: Set = ["jwt", "keyAuth", "basicAuth"]

    /// Returns whether this module builds the plugin `name`.
    public static func handles(_ name: String) -> Bool {
        names.contains(name)
    }

    /// One plugin of a route: its name and a decoder of its value.
    public struct Plugin {
        public var name: String
        public var decoder: any Decoder

        public init(name: String, decoder: any Decoder) {
            self.name = name
            self.decoder = decoder
        }
    }

    /// Decodes, checks and builds the middleware of one route's plugins.
    ///
    /// The list starts with `ConsumerHeaderSanitizer` when no plugin
    /// authenticates, so clients can never send consumer fields upstream.
    /// Key files are read now; nothing is fetched.
    ///
    /// - Throws: `PolicyConfigurationError` with the field prefixed by the
    ///   plugin name (`jwt.algorithms[1]`), or the decoder's own error for
    ///   a value of the wrong type.
    public static func makeMiddleware(_ plugins: [Plugin], environment: PolicyEnvironment) throws -> [any RouterMiddleware] {
        var decoded: [String: any Decodable & Sendable] = [:]
        for plugin in plugins {
            guard handles(plugin.name) else {
                throw PolicyConfigurationError(field: "plugins", value: plugin.name, expected: "one of \(names.joined(separator: ", "))")
            }
            guard decoded[plugin.name] == nil else {
                throw PolicyConfigurationError(field: "plugins", value: plugin.name, expected: "each plugin once")
            }
            do {
                decoded[plugin.name] = try decode(plugin)
            } catch let error as PolicyConfigurationError {
                throw error.prefixed(plugin.name)
            }
        }
        var builder = RoutePolicyBuilder(environment: environment)
        for name in names {
            guard let configuration = decoded[name] else { continue }
            try builder.add(name, configuration)
        }
        return try builder.build()
    }

    private static func decode(_ plugin: Plugin) throws -> any Decodable & Sendable {
        try configurationType(of: plugin.name).init(from: plugin.decoder)
    }

    /// Returns the configuration type of the plugin `name`, one of `names`.
    static func configurationType(of name: String) -> any (Decodable & Sendable).Type {
        switch name {
        case "ipRestriction": IPRestrictionConfiguration.self
        case "cors": CORSConfiguration.self
        case "jwt": JWTConfiguration.self
        case "keyAuth": KeyAuthConfiguration.self
        case "basicAuth": BasicAuthConfiguration.self
        case "extAuthz": ExtAuthzConfiguration.self
        default: RateLimitConfiguration.self
        }
    }
}
