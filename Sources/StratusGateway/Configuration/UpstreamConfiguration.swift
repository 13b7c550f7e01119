public import StratusDiscovery
import StratusKit

/// The destination of a route's requests (an entry of `upstreams`): a
/// service found through the control plane, or fixed endpoints.
public struct UpstreamConfiguration: Sendable, Hashable, Decodable {
    public var name: String
    /// The service to resolve through discovery; nil for `endpoints`.
    public var service: String?
    /// Fixed instances, used when `service` is nil.
    public var endpoints: [EndpointConfiguration]
    public var loadBalancing: LoadBalancingPolicy
    /// Time to open a connection. Default 1 s.
    public var connectTimeout: Duration
    /// Time one attempt may wait for the response head after the last
    /// request byte it sent; a streamed body's writes restart it. Default 15 s.
    public var perTryTimeout: Duration
    /// Time for all attempts together, backoff included. Default 30 s.
    public var totalTimeout: Duration
    /// The maximum pause inside a response body. Default 60 s.
    public var readTimeout: Duration
    /// Keep-alive connections per instance, at least 1. Default 256.
    public var maxConnectionsPerInstance: Int
    public var retries: RetryConfiguration
    public var healthCheck: ActiveHealthCheckConfiguration?
    public var outlierDetection: OutlierDetectionConfiguration
    public var circuitBreaker: UpstreamBreakerConfiguration?

    private enum CodingKeys: String, CodingKey {
        case name, service, endpoints, loadBalancing, connectTimeout, perTryTimeout, totalTimeout, readTimeout
        case maxConnectionsPerInstance, retries, healthCheck, outlierDetection, circuitBreaker
    }

    public init(name: String, endpoints: [EndpointConfiguration]) {
        self.name = name
        service = nil
        self.endpoints = endpoints
        loadBalancing = .roundRobin
        connectTimeout = .seconds(1)
        perTryTimeout = .seconds(15)
        totalTimeout = .seconds(30)
        readTimeout = .seconds(60)
        maxConnectionsPerInstance = 256
        retries = RetryConfiguration()
        healthCheck = nil
        outlierDetection = OutlierDetectionConfiguration()
        circuitBreaker = nil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = UpstreamConfiguration(name: "", endpoints: [])
        name = try container.decode(String.self, forKey: .name)
        try GatewayName.check(name, forKey: CodingKeys.name, in: container, what: "upstream name")
        service = try container.decodeIfPresent(String.self, forKey: .service)
        endpoints = try container.decode([EndpointConfiguration].self, forKey: .endpoints, default: [])
        try ConfigCheck.require(service != nil || !endpoints.isEmpty, .endpoints, in: container, "upstream \"\(name)\" has neither service nor endpoints; set service to a service name or list endpoints such as 127.0.0.1:8081")
        try ConfigCheck.require(service == nil || endpoints.isEmpty, .endpoints, in: container, "upstream \"\(name)\" has both service and endpoints; keep one")
        loadBalancing = try container.decode(LoadBalancingPolicy.self, forKey: .loadBalancing, default: defaults.loadBalancing)
        connectTimeout = try Self.positive(container, .connectTimeout, default: defaults.connectTimeout)
        perTryTimeout = try Self.positive(container, .perTryTimeout, default: defaults.perTryTimeout)
        totalTimeout = try Self.positive(container, .totalTimeout, default: defaults.totalTimeout)
        readTimeout = try Self.positive(container, .readTimeout, default: defaults.readTimeout)
        maxConnectionsPerInstance = try container.decode(Int.self, forKey: .maxConnectionsPerInstance, default: defaults.maxConnectionsPerInstance)
        try ConfigCheck.require(maxConnectionsPerInstance >= 1, .maxConnectionsPerInstance, in: container, "expected at least 1")
        retries = try container.decode(RetryConfiguration.self, forKey: .retries, default: RetryConfiguration())
        healthCheck = try container.decodeIfPresent(ActiveHealthCheckConfiguration.self, forKey: .healthCheck)
        outlierDetection = try container.decode(OutlierDetectionConfiguration.self, forKey: .outlierDetection, default: OutlierDetectionConfiguration())
        circuitBreaker = try container.decodeIfPresent(UpstreamBreakerConfiguration.self, forKey: .circuitBreaker)
    }

    private static func positive(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, default value: Duration) throws -> Duration {
        let duration = try container.decode(Duration.self, forKey: key, default: value)
        try ConfigCheck.require(duration > .zero, key, in: container, "expected a duration above zero, such as 2s")
        return duration
    }
}

/// One fixed instance of an upstream: `127.0.0.1:8081`, or a mapping with
/// `address`, `version`, `weight` and `labels`.
public struct EndpointConfiguration: Sendable, Hashable, Decodable {
    public var host: String
    public var port: Int
    /// The instance's version label, which canary routing selects on.
    public var version: String
    public var weight: Int
    public var labels: [String: String]

    public init(host: String, port: Int, version: String = "", weight: Int = 100, labels: [String: String] = [:]) {
        self.host = host
        self.port = port
        self.version = version
        self.weight = weight
        self.labels = labels
    }

    private enum CodingKeys: String, CodingKey {
        case address, version, weight, labels
    }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            (host, port) = try Self.parse(text, codingPath: decoder.codingPath)
            version = ""
            weight = 100
            labels = [:]
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        (host, port) = try Self.parse(try container.decode(String.self, forKey: .address), codingPath: decoder.codingPath + [CodingKeys.address])
        version = try container.decode(String.self, forKey: .version, default: "")
        weight = try container.decode(Int.self, forKey: .weight, default: 100)
        try ConfigCheck.require((1...10_000).contains(weight), .weight, in: container, "expected a weight from 1 to 10000")
        labels = try container.decode([String: String].self, forKey: .labels, default: [:])
    }

    /// The endpoint as `host:port`, with brackets around an IPv6 host.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Splits `host:port`. The host must be a numeric address or
    /// `localhost`, because the HTTP client does no DNS.
    static func parse(_ text: String, codingPath: [any CodingKey]) throws -> (String, Int) {
        func invalid(_ reason: String) -> DecodingError {
            .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: "invalid endpoint \"\(text)\": \(reason)"))
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
            throw invalid("expected HOST:PORT with a port from 1 to 65535, such as 127.0.0.1:8081")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard host == "localhost" || IPAddressBytes.parse(host) != nil else {
            throw invalid("the host must be a numeric IP address or localhost, because the gateway does not resolve names")
        }
        return (host, port)
    }
}
