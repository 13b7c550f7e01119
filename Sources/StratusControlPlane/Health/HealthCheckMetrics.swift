import StratusDiscovery
import StratusTelemetry

/// The health checker's counters:
/// `stratus_health_probes_total{service, result}`, where result is `pass`
/// or `fail`, and `stratus_health_transitions_total{service, status}`, where
/// status is `UP` or `DOWN`.
struct HealthCheckMetrics: Sendable {
    static let probesName = "stratus_health_probes_total"
    static let transitionsName = "stratus_health_transitions_total"

    let registry: MetricsRegistry

    /// Returns the probe counter of one service and result. A probe loop
    /// makes its handles once, because making one takes the registry's lock.
    func probes(service: String, outcome: ProbeOutcome) -> Counter {
        Counter(
            label: Self.probesName,
            dimensions: [("service", service), ("result", outcome.metricLabel)],
            help: "Health probes sent by the control plane, by service and result.",
            registry: registry
        )
    }

    /// Counts one status change that the health checker wrote.
    func countTransition(service: String, to status: InstanceStatus) {
        Counter(
            label: Self.transitionsName,
            dimensions: [("service", service), ("status", status.rawValue)],
            help: "Instance status changes written by the health checker, by service and new status.",
            registry: registry
        ).increment()
    }
}
