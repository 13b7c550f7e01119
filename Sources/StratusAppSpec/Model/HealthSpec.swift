/// The probes of a service's replicas: the liveness and readiness probes
/// of a Kubernetes container, over HTTP GET.
///
/// A replica counts as available only while its readiness probe passes. A
/// replica whose liveness probe fails `failureThreshold` times in a row,
/// after `startupGrace`, is killed and restarted.
public struct HealthSpec: Sendable, Hashable, Codable {
    /// Whether to probe at all. Without probes a replica is ready as soon as
    /// its process runs. Default true.
    public var enabled = true
    /// The liveness probe's path. Default `/healthz`.
    public var livenessPath = "/healthz"
    /// The readiness probe's path. Default `/readyz`.
    public var readinessPath = "/readyz"
    /// The time between two probes of one replica. Default 1 s.
    public var period: Duration = .seconds(1)
    /// How long a probe may take before it counts as failed. Default 1 s.
    public var timeout: Duration = .seconds(1)
    /// Failed liveness probes in a row that get a replica restarted. Default 3.
    public var failureThreshold = 3
    /// How long after its start a replica's liveness failures are ignored,
    /// like a startup probe's budget. Default 30 s.
    public var startupGrace: Duration = .seconds(30)

    public init() {}

    enum CodingKeys: String, CodingKey {
        case enabled, livenessPath, readinessPath, period, timeout, failureThreshold, startupGrace
    }

    public init(from decoder: any Decoder) throws {
        let wire = SpecCoding.isWireFormat(decoder.userInfo)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = HealthSpec()
        enabled = try container.specValue(Bool.self, forKey: .enabled, default: defaults.enabled)
        livenessPath = try container.specValue(String.self, forKey: .livenessPath, default: defaults.livenessPath)
        readinessPath = try container.specValue(String.self, forKey: .readinessPath, default: defaults.readinessPath)
        period = try container.specDuration(forKey: .period, default: defaults.period, wire: wire)
        timeout = try container.specDuration(forKey: .timeout, default: defaults.timeout, wire: wire)
        failureThreshold = try container.specValue(Int.self, forKey: .failureThreshold, default: defaults.failureThreshold)
        startupGrace = try container.specDuration(forKey: .startupGrace, default: defaults.startupGrace, wire: wire)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(livenessPath, forKey: .livenessPath)
        try container.encode(readinessPath, forKey: .readinessPath)
        try container.encodeDuration(period, forKey: .period)
        try container.encodeDuration(timeout, forKey: .timeout)
        try container.encode(failureThreshold, forKey: .failureThreshold)
        try container.encodeDuration(startupGrace, forKey: .startupGrace)
    }
}
