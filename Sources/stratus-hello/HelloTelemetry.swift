import Glibc
import StratusHTTP
import StratusLog
import StratusTelemetry

/// The telemetry that the command-line options turn on, applied to a router.
struct HelloTelemetry {
    let options: HelloOptions
    private(set) var processor: BatchSpanProcessor?

    init(options: HelloOptions) {
        self.options = options
    }

    /// Adds the middleware and routes that the options ask for, outermost
    /// first: tracing, metrics, request ids with the access log, recovery.
    mutating func install(on router: Router) throws {
        // Reads STRATUS_LOG_LEVEL and STRATUS_LOG_FORMAT; JSON lines unless
        // standard output is a terminal.
        try Telemetry.bootstrapLogging(level: .info)
        if options.traceSampleRate > 0, let endpoint = options.otlpEndpoint {
            let tracer = makeTracer(endpoint: endpoint)
            router.add(middleware: TracingMiddleware(tracer: tracer))
        }
        if options.metrics {
            router.add(middleware: HTTPServerMetricsMiddleware(registry: .shared))
            router.addMetricsRoute("/metrics", registry: .shared)
        }
        if options.accessLog {
            router.add(middleware: RequestIDMiddleware())
            router.add(middleware: AccessLogMiddleware(logger: Logger(label: "stratus.access")))
        }
        router.add(middleware: RecoveryMiddleware())
    }

    private mutating func makeTracer(endpoint: String) -> OTelTracer {
        let logger = Logger(label: "stratus-hello.tracing")
        let exporter = OTLPHTTPSpanExporter(
            resource: TracingResource(serviceName: "stratus-hello", serviceInstanceID: "\(getpid())"),
            configuration: OTLPHTTPSpanExporter.Configuration(endpoint: endpoint, encoding: options.otlpEncoding),
            logger: logger
        )
        let dropped = options.metrics
            ? Counter(label: "stratus_tracing_spans_dropped_total", help: "Spans dropped because the export queue was full.")
            : nil
        let processor = BatchSpanProcessor(exporter: exporter, logger: logger) { count in
            dropped?.increment(by: Int64(count))
        }
        self.processor = processor
        return OTelTracer(
            sampler: ParentBasedSampler(root: TraceIDRatioSampler(ratio: options.traceSampleRate)),
            processor: processor
        )
    }
}
