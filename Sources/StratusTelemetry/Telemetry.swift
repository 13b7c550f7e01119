/// StratusTelemetry: log handlers for containers and terminals, Prometheus
/// metrics and OpenTelemetry traces, with the shapes of swift-log,
/// swift-metrics and swift-distributed-tracing.
public enum Telemetry {}
