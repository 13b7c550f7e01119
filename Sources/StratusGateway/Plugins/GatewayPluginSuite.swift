public import StratusHTTP
public import StratusLog
public import StratusStore
public import StratusTelemetry

/// Plugins that are built together because they share what no single plugin
/// owns: consumers whose credentials several plugins read, or
/// authentication methods that combine into one middleware where the first
/// credential a request carries decides. Register one with
/// `GatewayPluginRegistry.register(_:)`.
///
/// The gateway calls `prepare` once for every configuration it loads: the
/// first, every reload and every validation. It does so even when no
/// route names the suite's plugins. Then it calls the prepared suite's
/// `middleware(for:)` once per route, also for routes that name none of
/// them. A thrown error rejects the whole configuration. Errors made with
/// `GatewayPluginValue.error(_:at:)` name the file, line and key path, and
/// `GatewayPluginProblems` reports several at once.
public struct GatewayPluginSuite: Sendable {
    /// A name for log and error messages, unique among suites.
    public let name: String
    /// The names routes give under `plugins`.
    public let plugins: [String]
    /// The names consumers give under `credentials`, whose values the suite reads.
    public let credentials: [String]
    /// The phase of the suite's middleware among single plugins. The suite
    /// orders its own middleware.
    public let phase: GatewayPluginPhase
    let prepare: @Sendable (GatewayPluginSuiteContext) throws -> any GatewayPreparedPluginSuite

    public init(
        name: String,
        plugins: [String],
        credentials: [String],
        phase: GatewayPluginPhase,
        prepare: @escaping @Sendable (GatewayPluginSuiteContext) throws -> any GatewayPreparedPluginSuite
    ) {
        self.name = name
        self.plugins = plugins
        self.credentials = credentials
        self.phase = phase
        self.prepare = prepare
    }
}

/// A plugin suite prepared for one configuration.
public protocol GatewayPreparedPluginSuite: Sendable {
    /// Builds the middleware of one route, outermost first. `route.plugins`
    /// contains the route's plugins of this suite and may be empty.
    func middleware(for route: GatewayPluginSuiteRoute) throws -> [any RouterMiddleware]
}

/// What a suite may use while it prepares for one configuration.
public struct GatewayPluginSuiteContext: Sendable {
    /// The configuration's consumers, in order.
    public let consumers: [GatewayPluginConsumer]
    public let settings: GatewaySettings
    /// The control plane's store: that of `settings.controlPlane`, else the
    /// one the gateway reads its configuration from, or nil without either.
    public let store: (any KeyValueStore)?
    /// Resolves a service name to the base URL of one of its UP instances,
    /// such as `http://127.0.0.1:9100`, through discovery. It is nil
    /// without `settings.controlPlane`.
    public let resolveService: (@Sendable (String) async throws -> String)?
    public let logger: Logger
    public let metrics: MetricsRegistry
    /// The suite as prepared for the configuration in use, or nil for the
    /// first configuration. A suite may take state from it whose settings
    /// did not change, such as rate limiters, but must not keep a reference
    /// to it, or every configuration since the start would stay in memory.
    public let previous: (any GatewayPreparedPluginSuite)?
    /// The function that makes the recorder of one policy's decisions on
    /// one route, counted in
    /// `stratus_gateway_policy_decisions_total{route, policy, decision}`.
    /// A decision is `admitted`, `rejected` or `would_reject`.
    public let decisionRecorder: @Sendable (_ route: String, _ policy: String) -> @Sendable (_ decision: String) -> Void
    /// The whole configuration.
    let root: GatewayPluginValue

    /// Returns the value at `keyPath` of the configuration, such as `settings`.
    public func value(at keyPath: String) -> GatewayPluginValue {
        root.child(keyPath)
    }
}

/// A consumer of the configuration, as given to a plugin suite.
public struct GatewayPluginConsumer: Sendable {
    public let name: String
    /// The consumer's whole entry, `consumers[i]`. A suite may read fields
    /// of its own from it besides `name` and `credentials`.
    public let value: GatewayPluginValue
    /// The consumer's `credentials.<name>` values of the suite's
    /// credential names, by name.
    public let credentials: [String: GatewayPluginValue]
}

/// One route of the configuration, as given to a plugin suite.
public struct GatewayPluginSuiteRoute: Sendable {
    public let name: String
    /// The route's entry, `routes[i]`.
    public let value: GatewayPluginValue
    /// The route's plugins that belong to the suite, by name, in the order
    /// of the file.
    public let plugins: [(name: String, value: GatewayPluginValue)]
}
