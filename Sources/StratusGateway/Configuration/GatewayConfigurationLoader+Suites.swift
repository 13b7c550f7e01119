import StratusKit

extension GatewayConfigurationLoader {
    /// Prepares every registered plugin suite for `configuration`, with the
    /// consumers, the control plane's store and discovery, and the suite as
    /// prepared for `previous`.
    func prepareSuites(
        _ configuration: GatewayConfiguration, loader: ConfigurationLoader, previous: ValidatedGatewayConfiguration?
    ) -> (suites: [String: any GatewayPreparedPluginSuite], problems: [GatewayConfigurationError.Problem]) {
        let settings = configuration.settings
        let storeEndpoints = settings.controlPlane.isEmpty ? self.storeEndpoints : settings.controlPlane
        let store = connections.store(for: storeEndpoints)
        let resolveService: (@Sendable (String) async throws -> String)? = connections.serviceResolver(for: settings.controlPlane).map { resolver in
            { @Sendable service in try await resolver.resolve(service) }
        }
        let root = GatewayPluginValue(keyPath: "", loader: loader)
        var prepared: [String: any GatewayPreparedPluginSuite] = [:]
        var problems: [GatewayConfigurationError.Problem] = []
        for suite in plugins.suites {
            let consumers = configuration.consumers.enumerated().map { index, consumer in
                let value = root.child("consumers[\(index)]")
                let names = consumer.credentialPlugins.filter { plugins.suiteName(ofCredential: $0) == suite.name }
                return GatewayPluginConsumer(
                    name: consumer.name, value: value,
                    credentials: Dictionary(uniqueKeysWithValues: names.map { ($0, value.child("credentials.\($0)")) })
                )
            }
            let context = GatewayPluginSuiteContext(
                consumers: consumers, settings: settings, store: store,
                resolveService: resolveService,
                logger: logger, metrics: metrics.registry, previous: previous?.suites[suite.name],
                decisionRecorder: { [metrics] route, policy in metrics.decisionRecorder(route: route, policy: policy) }, root: root
            )
            do {
                prepared[suite.name] = try suite.prepare(context)
            } catch {
                problems += Self.problems(from: error, prefix: "", keyPath: nil)
            }
        }
        return (prepared, problems)
    }
}
