public import StratusDiscovery
public import StratusLog

/// The settings the kit reads from a service's configuration, one section
/// each: `server`, `log`, `metrics`, `tracing`, `controlPlane`, `clients`,
/// `shedding` and `configCenter`. Every key is optional, and the defaults suit a service on
/// one machine.
///
/// ```yaml
/// server:
///   port: 8080
///   drainPeriod: 5s
/// log:
///   level: debug
/// controlPlane:
///   endpoints: [http://127.0.0.1:7700]
/// ```
public struct KitSettings: Sendable {
    public var server = ServerSettings()
    public var log = LogSettings()
    public var metrics = MetricsSettings()
    public var tracing = TracingSettings()
    /// The service center to register with; nil runs without registration.
    public var controlPlane: ControlPlaneSettings?
    public var clients = ClientSettings()
    public var shedding = SheddingSettings()
    /// The event bus that `ServiceApplication.events` connects to; nil
    /// runs without one.
    public var events: EventSettings?
    /// The config-center namespaces to load; nil loads none unless the
    /// service requests one with `remoteConfiguration(namespace:)`.
    public var configCenter: ConfigCenterSettings?

    public init() {}
}

/// The `server` section: where the HTTP server listens and how it stops.
public struct ServerSettings: Sendable, Decodable {
    /// The address to listen on. Default 127.0.0.1.
    public var host = "127.0.0.1"
    /// The port to listen on, 0 for any free port. Default 8080.
    public var port = 8080
    /// The address other services reach this instance at, as registered
    /// with the service center. Default: `host`, or 127.0.0.1 when `host`
    /// is a wildcard address.
    public var advertiseAddress: String?
    /// Event-loop threads; nil for one per core.
    public var eventLoops: Int?
    /// How long a keep-alive connection may wait for its next request.
    public var idleTimeout: Duration = .seconds(60)
    /// The maximum time a request may run, and the cap on a caller's
    /// `Stratus-Timeout`. Default 30 s.
    public var requestTimeout: Duration = .seconds(30)
    /// How long the server keeps serving after it reports not ready and
    /// deregisters, so callers whose caches still list it finish moving
    /// away. Default 5 s; 0 in tests.
    public var drainPeriod: Duration = .seconds(5)
    /// How long requests in flight may run once the server stops accepting.
    /// Connections still open after it are closed. Default 10 s.
    public var shutdownTimeout: Duration = .seconds(10)

    public init() {}

    enum CodingKeys: String, CodingKey {
        case host, port, advertiseAddress, eventLoops, idleTimeout, requestTimeout, drainPeriod, shutdownTimeout
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ServerSettings()
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? defaults.host
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? defaults.port
        advertiseAddress = try container.decodeIfPresent(String.self, forKey: .advertiseAddress)
        eventLoops = try container.decodeIfPresent(Int.self, forKey: .eventLoops)
        idleTimeout = try container.decodeIfPresent(Duration.self, forKey: .idleTimeout) ?? defaults.idleTimeout
        requestTimeout = try container.decodeIfPresent(Duration.self, forKey: .requestTimeout) ?? defaults.requestTimeout
        drainPeriod = try container.decodeIfPresent(Duration.self, forKey: .drainPeriod) ?? defaults.drainPeriod
        shutdownTimeout = try container.decodeIfPresent(Duration.self, forKey: .shutdownTimeout) ?? defaults.shutdownTimeout
    }
}

/// The `log` section.
public struct LogSettings: Sendable, Decodable {
    /// trace, debug, info, notice, warning, error or critical. Default info.
    /// `STRATUS_LOG_LEVEL` overrides it.
    public var level: Logger.Level = .info
    /// json or console; nil picks console on a terminal and JSON lines
    /// otherwise. `STRATUS_LOG_FORMAT` overrides it.
    public var format: String?
    /// Whether to log one line per request. Default true.
    public var accessLog = true

    public init() {}

    enum CodingKeys: String, CodingKey {
        case level, format, accessLog
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LogSettings()
        level = try container.decodeIfPresent(Logger.Level.self, forKey: .level) ?? defaults.level
        format = try container.decodeIfPresent(String.self, forKey: .format)
        accessLog = try container.decodeIfPresent(Bool.self, forKey: .accessLog) ?? defaults.accessLog
    }
}

/// The `metrics` section.
public struct MetricsSettings: Sendable, Decodable {
    /// Whether to count requests and serve `GET /metrics`. Default true.
    public var enabled = true

    public init() {}

    enum CodingKeys: String, CodingKey {
        case enabled
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
    }
}

/// The `tracing` section.
public struct TracingSettings: Sendable, Decodable {
    /// The fraction of new traces to record, 0 to 1. A request that arrives
    /// in a sampled trace is recorded whatever the rate. Default 0.
    public var sampleRate = 0.0
    /// The OTLP/HTTP receiver, such as http://127.0.0.1:4318. Without it
    /// tracing is off: no span is recorded and no trace context is passed
    /// on. Needed when `sampleRate` is above 0.
    public var otlpEndpoint: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case sampleRate, otlpEndpoint
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sampleRate = try container.decodeIfPresent(Double.self, forKey: .sampleRate) ?? 0
        otlpEndpoint = try container.decodeIfPresent(String.self, forKey: .otlpEndpoint)
    }
}

/// The `controlPlane` section: registration with the service center.
public struct ControlPlaneSettings: Sendable, Decodable {
    /// Control-plane URLs, such as http://127.0.0.1:7700; the client fails
    /// over between them. `STRATUS_CONTROLPLANE` (comma-separated) sets
    /// them when the section is absent.
    public var endpoints: [String]
    /// The instance id; default `STRATUS_INSTANCE_ID`, or the host name
    /// and process id.
    public var instanceID: String?
    /// Seconds the registration lives without a heartbeat. Default 3.
    public var ttlSeconds: Int64 = 3
    public var zone = ""
    public var weight = 100
    public var labels: [String: String] = [:]

    public init(endpoints: [String]) {
        self.endpoints = endpoints
    }

    enum CodingKeys: String, CodingKey {
        case endpoints, instanceID = "instanceId", ttlSeconds, zone, weight, labels
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        endpoints = try container.decode([String].self, forKey: .endpoints)
        instanceID = try container.decodeIfPresent(String.self, forKey: .instanceID)
        ttlSeconds = try container.decodeIfPresent(Int64.self, forKey: .ttlSeconds) ?? 3
        zone = try container.decodeIfPresent(String.self, forKey: .zone) ?? ""
        weight = try container.decodeIfPresent(Int.self, forKey: .weight) ?? 100
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    }
}

/// The `shedding` section: adaptive load shedding of requests.
public struct SheddingSettings: Sendable, Decodable {
    /// Whether to shed load. Default true.
    public var enabled = true
    /// Shed only while CPU usage is above this fraction, 0 to 1. Default 0.8.
    public var cpuThreshold = 0.8
    /// Count what would be shed without shedding. Default false.
    public var dryRun = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case enabled, cpuThreshold, dryRun
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        cpuThreshold = try container.decodeIfPresent(Double.self, forKey: .cpuThreshold) ?? 0.8
        dryRun = try container.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
    }
}

/// The `clients` section: how the service calls other services.
public struct ClientSettings: Sendable, Decodable {
    /// Fixed `host:port` lists by service name, used instead of discovery
    /// for those services, such as `greeter-names: [127.0.0.1:8081]`.
    public var endpoints: [String: [String]] = [:]
    /// The time each attempt may take to its response head. Default 2 s.
    public var perTryTimeout: Duration = .seconds(2)
    /// The time a call may take over all its attempts. Default 10 s.
    public var totalTimeout: Duration = .seconds(10)
    /// Attempts per call, the first included: 1 turns retries off. Default 3.
    public var maxAttempts = 3
    /// How an instance is picked. Default `leastLoaded`.
    public var loadBalancing = LoadBalancingPolicy.default

    public init() {}

    enum CodingKeys: String, CodingKey {
        case endpoints, perTryTimeout, totalTimeout, maxAttempts, loadBalancing
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ClientSettings()
        endpoints = try container.decodeIfPresent([String: [String]].self, forKey: .endpoints) ?? [:]
        perTryTimeout = try container.decodeIfPresent(Duration.self, forKey: .perTryTimeout) ?? defaults.perTryTimeout
        totalTimeout = try container.decodeIfPresent(Duration.self, forKey: .totalTimeout) ?? defaults.totalTimeout
        maxAttempts = try container.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? defaults.maxAttempts
        loadBalancing = try container.decodeIfPresent(LoadBalancingPolicy.self, forKey: .loadBalancing) ?? defaults.loadBalancing
    }
}
