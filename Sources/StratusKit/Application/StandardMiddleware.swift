import StratusHTTP
import StratusLog
import StratusResilience
import StratusTelemetry

/// The policies the standard middleware enforces, kept so the service can
/// read their counters.
struct StandardPolicies: Sendable {
    /// The adaptive load shedder; nil when shedding is off.
    let shedder: LoadShedder?

    init(settings: KitSettings, metrics: MetricsRegistry) {
        guard settings.shedding.enabled else {
            shedder = nil
            return
        }
        var configuration = LoadShedder.Configuration()
        configuration.cpuThreshold = settings.shedding.cpuThreshold
        let cpu = CPUUsageSampler()
        shedder = LoadShedder(configuration: configuration, mode: settings.shedding.dryRun ? .dryRun : .enforce, cpuUsage: cpu.reader)
    }

    /// Returns the standard middleware, outermost first: recovery, request
    /// id, access log, metrics, tracing, deadline, load shedding.
    ///
    /// Recovery is outermost so that a crash anywhere becomes a 500 that the
    /// access log and metrics still record. Shedding is innermost so that a
    /// shed request is still logged, counted and traced as a 503.
    func standardMiddleware(settings: KitSettings, metrics: MetricsRegistry) -> [any RouterMiddleware] {
        var middleware: [any RouterMiddleware] = [RecoveryMiddleware(), RequestIDMiddleware()]
        if settings.log.accessLog {
            middleware.append(AccessLogMiddleware(logger: Logger(label: AccessLogMiddleware.defaultLabel)))
        }
        if settings.metrics.enabled {
            middleware.append(HTTPServerMetricsMiddleware(registry: metrics))
        }
        middleware.append(TracingMiddleware())
        middleware.append(DeadlineMiddleware(defaultTimeout: settings.server.requestTimeout, maxTimeout: settings.server.requestTimeout))
        if let shedder {
            middleware.append(LoadSheddingMiddleware(shedder: shedder))
        }
        return middleware
    }
}
