import StratusHTTP

/// The parts of a route that validation compiles: its matcher, rewrites
/// and plugin middleware.
struct CompiledRoute: Sendable {
    let matcher: RouteMatcher
    let rewrite: PathRewrite
    let requestHeaders: HeaderRewrite
    let responseHeaders: HeaderRewrite
    /// The plugins' middleware in phase order, outermost first.
    let plugins: [any RouterMiddleware]
}

/// A configuration that passed validation, ready to be applied.
public struct ValidatedGatewayConfiguration: Sendable {
    public let configuration: GatewayConfiguration
    /// The YAML text it was read from.
    public let source: String
    /// The source of the text: a file path or a store key.
    public let origin: String
    let routes: [CompiledRoute]
    /// The plugin suites prepared for this configuration, by suite name.
    let suites: [String: any GatewayPreparedPluginSuite]
}
