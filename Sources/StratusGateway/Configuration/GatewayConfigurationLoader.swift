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
    /// The control plane clients that plugin suites are given.
    var connections = GatewayConnections(logger: Logger(label: "stratus.gateway"))
    /// The control plane whose store plugin suites use when
    /// `settings.controlPlane` is empty.
    var storeEndpoints: [String] = []

    /// - Parameters:
    ///   - origin: the name of the text in messages, such as the file's path.
    ///   - previous: the configuration in use, whose prepared plugin suites
    ///     the new ones may keep state from.
    func load(yaml: [UInt8], origin: String, previous: ValidatedGatewayConfiguration? = nil) throws(GatewayConfigurationError) -> ValidatedGatewayConfiguration {
        let loader = ConfigurationLoader(yaml: yaml, name: origin)
        let configuration: GatewayConfiguration
        do {
            configuration = try loader.load(GatewayConfiguration.self)
        } catch {
            throw GatewayConfigurationError(problems: [.init(keyPath: error.keyPath, message: error.description)])
        }
        var problems = GatewayConfigurationValidator(configuration: configuration, plugins: plugins).problems()
        let (suites, suiteProblems) = prepareSuites(configuration, loader: loader, previous: previous)
        problems += suiteProblems
        var routes: [CompiledRoute] = []
        for (index, route) in configuration.routes.enumerated() {
            do {
                routes.append(try compile(route, index: index, configuration: configuration, loader: loader, suites: suites))
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
        return ValidatedGatewayConfiguration(configuration: configuration, source: String(decoding: yaml, as: UTF8.self), origin: origin, routes: routes, suites: suites)
    }

    private func compile(
        _ route: RouteConfiguration, index: Int, configuration: GatewayConfiguration, loader: ConfigurationLoader,
        suites: [String: any GatewayPreparedPluginSuite]
    ) throws(GatewayConfigurationError) -> CompiledRoute {
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
            let middleware = try buildPlugins(route, path: path, configuration: configuration, loader: loader, suites: suites)
            return CompiledRoute(matcher: matcher, rewrite: rewrite, requestHeaders: requestHeaders, responseHeaders: responseHeaders, plugins: middleware)
        } catch let error as RouteCompileError {
            throw problem(error.field, error.message)
        } catch let error as GatewayConfigurationError {
            throw error
        } catch {
            throw problem("plugins", "\(error)")
        }
    }

    /// Builds the route's plugins in phase order, then name order: the
    /// single plugins it names, and every prepared suite.
    private func buildPlugins(
        _ route: RouteConfiguration, path: String, configuration: GatewayConfiguration, loader: ConfigurationLoader,
        suites: [String: any GatewayPreparedPluginSuite]
    ) throws -> [any RouterMiddleware] {
        var builders: [(phase: GatewayPluginPhase, name: String, build: () throws -> [any RouterMiddleware])] = []
        for factory in route.pluginNames.compactMap({ plugins.factory(named: $0) }) {
            builders.append((factory.phase, factory.name, { [try buildPlugin(factory, route: route, path: path, configuration: configuration, loader: loader)] }))
        }
        for suite in plugins.suites {
            guard let prepared = suites[suite.name] else { continue }
            let names = route.pluginNames.filter { plugins.suiteName(ofPlugin: $0) == suite.name }
            let suiteRoute = GatewayPluginSuiteRoute(
                name: route.name, value: GatewayPluginValue(keyPath: path, loader: loader),
                plugins: names.map { (name: $0, value: GatewayPluginValue(keyPath: "\(path).plugins.\($0)", loader: loader)) }
            )
            builders.append((suite.phase, suite.name, { try prepared.middleware(for: suiteRoute) }))
        }
        builders.sort { $0.phase != $1.phase ? $0.phase < $1.phase : $0.name < $1.name }
        var problems: [GatewayConfigurationError.Problem] = []
        var middleware: [any RouterMiddleware] = []
        for builder in builders {
            do {
                middleware += try builder.build()
            } catch {
                problems += Self.problems(from: error, prefix: "route \"\(route.name)\": ", keyPath: "\(path).plugins")
            }
        }
        guard problems.isEmpty else { throw GatewayConfigurationError(problems: problems) }
        return middleware
    }

    private func buildPlugin(
        _ factory: GatewayPluginFactory, route: RouteConfiguration, path: String, configuration: GatewayConfiguration, loader: ConfigurationLoader
    ) throws -> any RouterMiddleware {
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
            return try factory.build(loader, "\(path).plugins.\(factory.name)", credentialPaths, context)
        } catch let error as ConfigurationError {
            throw GatewayPluginError(keyPath: error.keyPath ?? "\(path).plugins.\(factory.name)", message: "plugin \(factory.name): \(error.description)")
        } catch {
            throw GatewayPluginError(keyPath: "\(path).plugins.\(factory.name)", message: "plugin \(factory.name): \(error)")
        }
    }

    /// Turns an error of a plugin or suite into problems. `keyPath` is used
    /// for errors that name none.
    static func problems(from error: any Error, prefix: String, keyPath: String?) -> [GatewayConfigurationError.Problem] {
        switch error {
        case let error as GatewayPluginProblems:
            error.errors.flatMap { problems(from: $0, prefix: prefix, keyPath: keyPath) }
        case let error as GatewayConfigurationError:
            error.problems
        case let error as ConfigurationError:
            [.init(keyPath: error.keyPath ?? keyPath, message: prefix + error.description)]
        case let error as GatewayPluginError:
            [.init(keyPath: error.keyPath, message: prefix + error.message)]
        default:
            [.init(keyPath: keyPath, message: prefix + "\(error)")]
        }
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
