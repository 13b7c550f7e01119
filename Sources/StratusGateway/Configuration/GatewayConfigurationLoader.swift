import StratusHTTP
import StratusKit
import StratusLog
import StratusTelemetry

/// Reads and validates a gateway configuration in full: YAML syntax and
/// types, references between sections, route conditions and rewrites, and
/// each plugin's own settings. Every problem found is reported at once.
struct GatewayConfigurationLoader: Sendable {
    let plugins: GatewayPluginRegistry
    let logger: Logger
    let metrics: GatewayMetrics

    /// - Parameter origin: the name of the text in messages, such as the
    ///   file's path.
    func load(yaml: [UInt8], origin: String) throws(GatewayConfigurationError) -> ValidatedGatewayConfiguration {
        let loader = ConfigurationLoader(yaml: yaml, name: origin)
        let configuration: GatewayConfiguration
        do {
            configuration = try loader.load(GatewayConfiguration.self)
        } catch {
            throw GatewayConfigurationError(problems: [.init(keyPath: error.keyPath, message: error.description)])
        }
        var problems = GatewayConfigurationValidator(configuration: configuration, plugins: plugins).problems()
        var routes: [CompiledRoute] = []
        for (index, route) in configuration.routes.enumerated() {
            do {
                routes.append(try compile(route, index: index, configuration: configuration, loader: loader))
            } catch {
                problems.append(contentsOf: error.problems)
            }
        }
        problems += checkUnusedCredentials(configuration, loader: loader)
        if problems.isEmpty {
            do {
                try loader.checkUnknownKeys()
            } catch {
                problems.append(.init(keyPath: nil, message: error.description))
            }
        }
        guard problems.isEmpty else {
            throw GatewayConfigurationError(problems: problems)
        }
        return ValidatedGatewayConfiguration(configuration: configuration, source: String(decoding: yaml, as: UTF8.self), origin: origin, routes: routes)
    }

    private func compile(_ route: RouteConfiguration, index: Int, configuration: GatewayConfiguration, loader: ConfigurationLoader) throws(GatewayConfigurationError) -> CompiledRoute {
        let path = "routes[\(index)]"
        func problem(_ field: String, _ message: String) -> GatewayConfigurationError {
            GatewayConfigurationError(problems: [.init(keyPath: "\(path).\(field)", message: "route \"\(route.name)\": \(field): \(message)")])
        }
        do {
            let matcher = try RouteMatcher(index: index, route: route, caseSensitive: configuration.settings.paths.caseSensitive)
            let parameters: [String]
            if case .template(let text) = route.match.path, let template = try? RouteTemplate(parsing: text) {
                parameters = template.captureNames
            } else {
                parameters = []
            }
            let rewrite = try PathRewrite(route.rewrite, parameters: parameters, caseSensitive: configuration.settings.paths.caseSensitive)
            let requestHeaders = try HeaderRewrite(route.requestHeaders, field: "requestHeaders")
            let responseHeaders = try HeaderRewrite(route.responseHeaders, field: "responseHeaders")
            let middleware = try buildPlugins(route, path: path, configuration: configuration, loader: loader)
            return CompiledRoute(matcher: matcher, rewrite: rewrite, requestHeaders: requestHeaders, responseHeaders: responseHeaders, plugins: middleware)
        } catch let error as RouteCompileError {
            throw problem(error.field, error.message)
        } catch let error as GatewayConfigurationError {
            throw error
        } catch {
            throw problem("plugins", "\(error)")
        }
    }

    /// Builds the route's plugins in phase order, then name order.
    private func buildPlugins(_ route: RouteConfiguration, path: String, configuration: GatewayConfiguration, loader: ConfigurationLoader) throws -> [any RouterMiddleware] {
        let factories = route.pluginNames.compactMap { plugins.factory(named: $0) }
            .sorted { $0.phase != $1.phase ? $0.phase < $1.phase : $0.name < $1.name }
        var problems: [GatewayConfigurationError.Problem] = []
        var middleware: [any RouterMiddleware] = []
        for factory in factories {
            let credentialPaths = configuration.consumers.enumerated().compactMap { index, consumer in
                consumer.credentialPlugins.contains(factory.name) ? (consumer: consumer.name, keyPath: "consumers[\(index)].credentials.\(factory.name)") : nil
            }
            let context = GatewayPluginContext(
                route: route.name,
                consumers: configuration.consumers.map(\.name),
                logger: logger,
                metrics: metrics.registry,
                recordDecision: metrics.decisionRecorder(route: route.name, policy: factory.name)
            )
            do {
                middleware.append(try factory.build(loader, "\(path).plugins.\(factory.name)", credentialPaths, context))
            } catch let error as ConfigurationError {
                problems.append(.init(keyPath: error.keyPath, message: "route \"\(route.name)\": plugin \(factory.name): \(error.description)"))
            } catch {
                problems.append(.init(keyPath: "\(path).plugins.\(factory.name)", message: "route \"\(route.name)\": plugin \(factory.name): \(error)"))
            }
        }
        guard problems.isEmpty else { throw GatewayConfigurationError(problems: problems) }
        return middleware
    }

    /// Decodes the credentials of plugins that no route uses, so that they
    /// are checked too.
    private func checkUnusedCredentials(_ configuration: GatewayConfiguration, loader: ConfigurationLoader) -> [GatewayConfigurationError.Problem] {
        let used = Set(configuration.routes.flatMap(\.pluginNames))
        var problems: [GatewayConfigurationError.Problem] = []
        for (index, consumer) in configuration.consumers.enumerated() {
            for name in consumer.credentialPlugins where !used.contains(name) {
                guard let factory = plugins.factory(named: name), factory.acceptsCredentials else { continue }
                do {
                    try factory.checkCredential(loader, "consumers[\(index)].credentials.\(name)")
                } catch {
                    problems.append(.init(keyPath: "consumers[\(index)].credentials.\(name)", message: "consumer \"\(consumer.name)\": credentials: \(error)"))
                }
            }
        }
        return problems
    }
}
