/// One running replica of a service, as it registers with the service
/// center and as discovery returns it.
///
/// The JSON form uses these property names; `healthCheck`, `labels`,
/// `version` and `zone` may be omitted.
public struct ServiceInstance: Sendable, Hashable, Codable {
    /// The service name: lowercase letters, digits and "-", starting with a
    /// letter, at most 63 characters (a DNS label, as in Kubernetes).
    public var service: String
    /// Unique within the service: letters, digits, ".", "_" and "-", at most
    /// 128 characters.
    public var id: String
    /// A numeric IPv4 or IPv6 address, or a host name.
    public var address: String
    public var port: Int
    /// "http" or "https".
    public var scheme: String
    public var labels: [String: String]
    public var version: String
    /// The zone the instance runs in, for zone-aware load balancing; empty
    /// when unknown.
    public var zone: String
    /// The relative share of traffic, 1 to 10,000; 100 by default.
    public var weight: Int
    public var status: InstanceStatus
    /// An HTTP probe that the control plane runs against the instance.
    public var healthCheck: HealthCheck?

    public init(
        service: String,
        id: String,
        address: String,
        port: Int,
        scheme: String = "http",
        labels: [String: String] = [:],
        version: String = "",
        zone: String = "",
        weight: Int = 100,
        status: InstanceStatus = .up,
        healthCheck: HealthCheck? = nil
    ) {
        self.service = service
        self.id = id
        self.address = address
        self.port = port
        self.scheme = scheme
        self.labels = labels
        self.version = version
        self.zone = zone
        self.weight = weight
        self.status = status
        self.healthCheck = healthCheck
    }

    /// The instance's endpoint as `address:port`, with brackets around an
    /// IPv6 address.
    public var endpoint: String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    private enum CodingKeys: String, CodingKey {
        case service, id, address, port, scheme, labels, version, zone, weight, status, healthCheck
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        service = try container.decode(String.self, forKey: .service)
        id = try container.decode(String.self, forKey: .id)
        address = try container.decode(String.self, forKey: .address)
        port = try container.decode(Int.self, forKey: .port)
        scheme = try container.decodeIfPresent(String.self, forKey: .scheme) ?? "http"
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        version = try container.decodeIfPresent(String.self, forKey: .version) ?? ""
        zone = try container.decodeIfPresent(String.self, forKey: .zone) ?? ""
        weight = try container.decodeIfPresent(Int.self, forKey: .weight) ?? 100
        status = try container.decodeIfPresent(InstanceStatus.self, forKey: .status) ?? .up
        healthCheck = try container.decodeIfPresent(HealthCheck.self, forKey: .healthCheck)
    }
}

/// Whether an instance takes traffic.
public enum InstanceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Serving: load balancers pick it.
    case up = "UP"
    /// Finishing its requests before it stops: load balancers skip it.
    case draining = "DRAINING"
    /// Not serving, by its own report or by failed health checks.
    case down = "DOWN"
}

/// An HTTP health probe, with the fields and defaults of a Kubernetes probe.
public struct HealthCheck: Sendable, Hashable, Codable {
    /// The path to GET, starting with "/". A 2xx or 3xx status passes.
    public var path: String
    /// The port to probe; nil probes the instance's port.
    public var port: Int?
    /// Seconds between probes, 1 to 3,600. Default 10.
    public var periodSeconds: Int
    /// Seconds before a probe counts as failed, 1 to 60 and at most the
    /// period. Default 1.
    public var timeoutSeconds: Int
    /// Passing probes in a row that mark a DOWN instance UP again. Default 1.
    public var successThreshold: Int
    /// Failing probes in a row that mark an UP instance DOWN. Default 3.
    public var failureThreshold: Int

    public init(path: String, port: Int? = nil, periodSeconds: Int = 10, timeoutSeconds: Int = 1, successThreshold: Int = 1, failureThreshold: Int = 3) {
        self.path = path
        self.port = port
        self.periodSeconds = periodSeconds
        self.timeoutSeconds = timeoutSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
    }

    private enum CodingKeys: String, CodingKey {
        case path, port, periodSeconds, timeoutSeconds, successThreshold, failureThreshold
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        port = try container.decodeIfPresent(Int.self, forKey: .port)
        periodSeconds = try container.decodeIfPresent(Int.self, forKey: .periodSeconds) ?? 10
        timeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 1
        successThreshold = try container.decodeIfPresent(Int.self, forKey: .successThreshold) ?? 1
        failureThreshold = try container.decodeIfPresent(Int.self, forKey: .failureThreshold) ?? 3
    }
}
