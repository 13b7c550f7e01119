import StratusDiscovery

/// The result of one health probe.
enum ProbeOutcome: Sendable, Hashable {
    case passed
    /// Failed, with the reason for the log: the status received, a timeout
    /// or a connection error.
    case failed(reason: String)

    /// The state machine's event for this outcome.
    var event: InstanceHealth.Event {
        switch self {
        case .passed: .probePassed
        case .failed: .probeFailed
        }
    }

    /// The `result` label of `stratus_health_probes_total`.
    var metricLabel: String {
        switch self {
        case .passed: "pass"
        case .failed: "fail"
        }
    }
}

/// Probes one instance with its check. It returns within about the check's
/// `timeoutSeconds`, and at once with a failure when its task is cancelled.
typealias HealthProbe = @Sendable (ServiceInstance, HealthCheck) async -> ProbeOutcome
