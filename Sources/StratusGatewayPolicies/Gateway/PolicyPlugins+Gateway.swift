public import StratusGateway
public import StratusLog
import StratusHTTP

extension PolicyPlugins {
    /// The consumer credentials the policies read, under each consumer's
    /// `credentials`.
    public static let credentialNames = ["keyAuth", "basicAuth", "jwt"]

    /// Registers the security policies in `registry` as one plugin suite,
    /// so that routes of a gateway take `plugins` named as in `names`, and
    /// consumers take `credentials` named as in `credentialNames`, with
    /// the fields docs/gateway-security.md lists.
    ///
    /// Every route then starts with `ConsumerHeaderSanitizer` or
    /// authentication, so that no client can send consumer fields upstream.
    /// Cluster rate limits use the gateway's control plane store, and
    /// `extAuthz` services resolve through its discovery.
    ///
    /// - Parameter logger: receives the policies' decisions at debug level
    ///   and their dependencies' failures at warning level.
    public static func register(in registry: GatewayPluginRegistry, logger: Logger) {
        // One client for every configuration's JWKS fetches.
        let httpClient = HTTPClient()
        registry.register(GatewayPluginSuite(name: "security-policies", plugins: names, credentials: credentialNames, phase: .access) { context in
            try PreparedPolicySuite(context: context, httpClient: httpClient, logger: logger)
        })
    }
}
