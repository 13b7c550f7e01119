import StratusKit

/// When and how often a failed attempt is sent again (`retries`).
public struct RetryConfiguration: Sendable, Hashable, Decodable {
    /// Attempts per request, the first included, 1 to 10. Default 3.
    public var attempts: Int
    /// Statuses retried for idempotent requests. Default 502 and 503.
    public var onStatus: [Int]
    /// The share of requests that may be retried, 0 to 1. Default 0.2.
    public var budgetRatio: Double
    /// Retries per second allowed whatever the traffic. Default 10.
    public var budgetMinPerSecond: Double
    /// The first backoff's ceiling, doubling per retry. Default 10 ms.
    public var backoffBase: Duration
    /// The largest backoff ceiling. Default 250 ms.
    public var backoffMax: Duration

    public init() {
        attempts = 3
        onStatus = [502, 503]
        budgetRatio = 0.2
        budgetMinPerSecond = 10
        backoffBase = .milliseconds(10)
        backoffMax = .milliseconds(250)
    }

    private enum CodingKeys: String, CodingKey {
        case attempts, onStatus, budgetRatio, budgetMinPerSecond, backoffBase, backoffMax
    }

    public init(from decoder: any Decoder) throws {
        let defaults = RetryConfiguration()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        attempts = try container.decode(Int.self, forKey: .attempts, default: defaults.attempts)
        try ConfigCheck.require((1...10).contains(attempts), .attempts, in: container, "expected 1 to 10 attempts")
        onStatus = try container.decode([Int].self, forKey: .onStatus, default: defaults.onStatus)
        try ConfigCheck.require(onStatus.allSatisfy { (500...599).contains($0) }, .onStatus, in: container, "expected statuses from 500 to 599")
        budgetRatio = try container.decode(Double.self, forKey: .budgetRatio, default: defaults.budgetRatio)
        try ConfigCheck.require((0...1).contains(budgetRatio), .budgetRatio, in: container, "expected a share from 0 to 1")
        budgetMinPerSecond = try container.decode(Double.self, forKey: .budgetMinPerSecond, default: defaults.budgetMinPerSecond)
        try ConfigCheck.require(budgetMinPerSecond >= 0 && budgetMinPerSecond.isFinite, .budgetMinPerSecond, in: container, "expected 0 or more retries per second")
        backoffBase = try container.decode(Duration.self, forKey: .backoffBase, default: defaults.backoffBase)
        backoffMax = try container.decode(Duration.self, forKey: .backoffMax, default: defaults.backoffMax)
        try ConfigCheck.require(backoffMax >= backoffBase, .backoffMax, in: container, "expected at least backoffBase (\(backoffBase))")
    }
}

/// Probes that mark instances unhealthy (`healthCheck`).
public struct ActiveHealthCheckConfiguration: Sendable, Hashable, Decodable {
    /// The path to GET; a 2xx or 3xx status passes.
    public var path: String
    /// Time between probes of one instance. Default 5 s.
    public var interval: Duration
    /// Time a probe may take. Default 1 s.
    public var timeout: Duration
    /// Passing probes in a row that mark an instance healthy. Default 1.
    public var healthyThreshold: Int
    /// Failing probes in a row that mark an instance unhealthy. Default 2.
    public var unhealthyThreshold: Int

    public init(path: String, interval: Duration = .seconds(5), timeout: Duration = .seconds(1), healthyThreshold: Int = 1, unhealthyThreshold: Int = 2) {
        self.path = path
        self.interval = interval
        self.timeout = timeout
        self.healthyThreshold = healthyThreshold
        self.unhealthyThreshold = unhealthyThreshold
    }

    private enum CodingKeys: String, CodingKey {
        case path, interval, timeout, healthyThreshold, unhealthyThreshold
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        try ConfigCheck.require(path.hasPrefix("/"), .path, in: container, "expected a path starting with /, such as /healthz")
        interval = try container.decode(Duration.self, forKey: .interval, default: .seconds(5))
        try ConfigCheck.require(interval >= .milliseconds(10), .interval, in: container, "expected at least 10ms")
        timeout = try container.decode(Duration.self, forKey: .timeout, default: .seconds(1))
        try ConfigCheck.require(timeout > .zero, .timeout, in: container, "expected a duration above zero")
        healthyThreshold = try container.decode(Int.self, forKey: .healthyThreshold, default: 1)
        try ConfigCheck.require(healthyThreshold >= 1, .healthyThreshold, in: container, "expected at least 1")
        unhealthyThreshold = try container.decode(Int.self, forKey: .unhealthyThreshold, default: 2)
        try ConfigCheck.require(unhealthyThreshold >= 1, .unhealthyThreshold, in: container, "expected at least 1")
    }
}

/// Passive ejection of failing instances (`outlierDetection`).
public struct OutlierDetectionConfiguration: Sendable, Hashable, Decodable {
    /// Connect failures or 5xx responses in a row that eject an instance.
    /// Default 5.
    public var consecutiveFailures: Int
    /// The first ejection's length; the n-th in a row lasts n times it.
    /// Default 30 s.
    public var baseEjectionTime: Duration
    /// The maximum ejection time. Default 300 s.
    public var maxEjectionTime: Duration
    /// The largest share of instances ejected at once, in percent. Default 50.
    public var maxEjectedPercent: Int

    public init() {
        consecutiveFailures = 5
        baseEjectionTime = .seconds(30)
        maxEjectionTime = .seconds(300)
        maxEjectedPercent = 50
    }

    private enum CodingKeys: String, CodingKey {
        case consecutiveFailures, baseEjectionTime, maxEjectionTime, maxEjectedPercent
    }

    public init(from decoder: any Decoder) throws {
        let defaults = OutlierDetectionConfiguration()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        consecutiveFailures = try container.decode(Int.self, forKey: .consecutiveFailures, default: defaults.consecutiveFailures)
        try ConfigCheck.require(consecutiveFailures >= 1, .consecutiveFailures, in: container, "expected at least 1")
        baseEjectionTime = try container.decode(Duration.self, forKey: .baseEjectionTime, default: defaults.baseEjectionTime)
        try ConfigCheck.require(baseEjectionTime > .zero, .baseEjectionTime, in: container, "expected a duration above zero")
        maxEjectionTime = try container.decode(Duration.self, forKey: .maxEjectionTime, default: defaults.maxEjectionTime)
        try ConfigCheck.require(maxEjectionTime >= baseEjectionTime, .maxEjectionTime, in: container, "expected at least baseEjectionTime (\(baseEjectionTime))")
        maxEjectedPercent = try container.decode(Int.self, forKey: .maxEjectedPercent, default: defaults.maxEjectedPercent)
        try ConfigCheck.require((0...100).contains(maxEjectedPercent), .maxEjectedPercent, in: container, "expected a percentage from 0 to 100")
    }
}

/// A circuit breaker over a whole upstream (`circuitBreaker`).
public struct UpstreamBreakerConfiguration: Sendable, Hashable, Decodable {
    /// Failed requests in a row that open the breaker. Default 5.
    public var consecutiveFailures: Int
    /// How long it stays open before a probe. Default 10 s.
    public var openDuration: Duration
    /// Count what the breaker would reject, but let every request pass.
    public var dryRun: Bool

    public init(consecutiveFailures: Int = 5, openDuration: Duration = .seconds(10), dryRun: Bool = false) {
        self.consecutiveFailures = consecutiveFailures
        self.openDuration = openDuration
        self.dryRun = dryRun
    }

    private enum CodingKeys: String, CodingKey {
        case consecutiveFailures, openDuration, dryRun
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        consecutiveFailures = try container.decode(Int.self, forKey: .consecutiveFailures, default: 5)
        try ConfigCheck.require(consecutiveFailures >= 1, .consecutiveFailures, in: container, "expected at least 1")
        openDuration = try container.decode(Duration.self, forKey: .openDuration, default: .seconds(10))
        try ConfigCheck.require(openDuration > .zero, .openDuration, in: container, "expected a duration above zero")
        dryRun = try container.decode(Bool.self, forKey: .dryRun, default: false)
    }
}
