import StratusLog
import StratusResilience
import StratusTelemetry

/// The configuration side of a gateway: validation, state building and the
/// swap, shared by the proxy listener, the admin API and the watchers.
///
/// Thread safety: changes apply one at a time under an async lock.
final class GatewayRuntime: Sendable {
    let metrics: GatewayMetrics
    let responder: GatewayResponder
    let logger: Logger
    private let loader: GatewayConfigurationLoader
    private let builder: GatewayStateBuilder
    private let applyLock = AsyncLock()

    init(settings: Gateway.Settings, yaml: [UInt8], origin: String) async throws {
        logger = settings.logger
        metrics = GatewayMetrics(registry: settings.metrics)
        let connections = GatewayConnections(logger: settings.logger)
        loader = GatewayConfigurationLoader(
            plugins: settings.plugins, logger: settings.logger, metrics: metrics, connections: connections, storeEndpoints: settings.storeEndpoints
        )
        let validated = try loader.load(yaml: yaml, origin: origin)
        var shedderConfiguration = LoadShedder.Configuration()
        shedderConfiguration.cpuThreshold = validated.configuration.settings.loadShedding?.cpuThreshold ?? 0.8
        let sampler = CPUUsageSampler()
        builder = GatewayStateBuilder(
            logger: settings.logger, metrics: metrics, accessLogger: settings.accessLogger, connections: connections,
            loadShedder: LoadShedder(configuration: shedderConfiguration, cpuUsage: sampler.reader)
        )
        let (state, _) = await builder.build(validated, generation: 1, previous: nil)
        responder = GatewayResponder(state: state)
        metrics.generation.set(1)
        metrics.reloadsApplied.increment()
    }

    func validate(yaml: [UInt8], origin: String) throws(GatewayConfigurationError) -> ValidatedGatewayConfiguration {
        try loader.load(yaml: yaml, origin: origin, previous: responder.current.validated)
    }

    func apply(yaml: [UInt8], origin: String) async throws -> Int {
        try await applyLock.withLock {
            let current = responder.current
            if current.validated.source == String(decoding: yaml, as: UTF8.self) {
                return current.generation
            }
            let validated: ValidatedGatewayConfiguration
            do {
                validated = try loader.load(yaml: yaml, origin: origin, previous: current.validated)
            } catch {
                metrics.reloadsRejected.increment()
                logger.error("configuration rejected", metadata: ["config.origin": .string(origin), "error": .string("\(error)")])
                throw error
            }
            let (state, retired) = await builder.build(validated, generation: current.generation + 1, previous: current)
            _ = responder.swap(to: state)
            metrics.reloadsApplied.increment()
            metrics.generation.set(Double(state.generation))
            logger.info("configuration applied", metadata: [
                "config.origin": .string(origin), "config.generation": .stringConvertible(state.generation),
                "config.routes": .stringConvertible(state.routes.count),
            ])
            retire(retired)
            return state.generation
        }
    }

    /// Stops upstreams that the new state no longer uses, once the requests
    /// that may still use them have had their total timeout.
    private func retire(_ upstreams: [Upstream]) {
        guard !upstreams.isEmpty else { return }
        let grace = upstreams.map(\.configuration.totalTimeout).max() ?? .seconds(30)
        Task {
            try? await Task.sleep(for: grace + .seconds(1))
            upstreams.forEach { $0.stop() }
        }
    }
}
