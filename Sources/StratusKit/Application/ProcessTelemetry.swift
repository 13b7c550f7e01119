import Glibc
import StratusLog
import StratusTelemetry

/// The process-wide logging and tracing that `ServiceApplication.main`
/// sets up from the settings.
enum ProcessTelemetry {
    /// Bootstraps logging at the configured level and format, which
    /// `STRATUS_LOG_LEVEL` and `STRATUS_LOG_FORMAT` override.
    static func bootstrapLogging(_ settings: LogSettings) throws {
        let format = settings.format.flatMap(LoggingConfiguration.Format.init(rawValue:))
        try Telemetry.bootstrapLogging(level: settings.level, format: format)
    }

    /// Bootstraps the tracer when an OTLP endpoint is configured, and
    /// returns its span processor, to flush at exit.
    static func bootstrapTracing(_ settings: TracingSettings, serviceName: String, version: String, instanceID: String, metrics: MetricsRegistry) -> BatchSpanProcessor? {
        guard let endpoint = settings.otlpEndpoint else { return nil }
        let logger = Logger(label: "stratus.tracing")
        let exporter = OTLPHTTPSpanExporter(
            resource: TracingResource(serviceName: serviceName, serviceInstanceID: instanceID, serviceVersion: version),
            configuration: OTLPHTTPSpanExporter.Configuration(endpoint: endpoint),
            logger: logger
        )
        let dropped = try? metrics.makeCounter(label: "stratus_tracing_spans_dropped_total", help: "Spans dropped because the export queue was full.")
        let processor = BatchSpanProcessor(exporter: exporter, logger: logger) { count in
            dropped?.increment(by: Int64(count))
        }
        let tracer = OTelTracer(sampler: ParentBasedSampler(root: TraceIDRatioSampler(ratio: settings.sampleRate)), processor: processor)
        InstrumentationSystem.bootstrap(tracer)
        return processor
    }
}
