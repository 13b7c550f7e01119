import StratusKit

/// Settings that apply to every route (the `settings` section).
public struct GatewaySettings: Sendable, Hashable, Decodable {
    /// Proxies whose `X-Forwarded-*` and `Forwarded` fields the gateway
    /// trusts, as CIDR blocks. Requests from other peers have those fields
    /// replaced. Default none.
    public var trustedProxies: [CIDRBlock]
    /// The largest request body the gateway accepts on any route, in
    /// bytes (413 beyond it). Default 8 MiB.
    public var maxBodySize: Int64
    public var paths: PathSettings
    public var loadShedding: LoadSheddingSettings?
    /// Whether a JSON access log line is written per request to standard
    /// output. Default true.
    public var accessLog: Bool
    /// A request header whose value names the consumer, trusted as sent.
    /// A stand-in for auth plugins; empty (the default) reads none.
    public var consumerHeader: String
    /// Control-plane base URLs that resolve upstreams given by `service`.
    public var controlPlane: [String]

    public init() {
        trustedProxies = []
        maxBodySize = 8 << 20
        paths = PathSettings()
        loadShedding = nil
        accessLog = true
        consumerHeader = ""
        controlPlane = []
    }

    private enum CodingKeys: String, CodingKey {
        case trustedProxies, maxBodySize, paths, loadShedding, accessLog, consumerHeader, controlPlane
    }

    public init(from decoder: any Decoder) throws {
        let defaults = GatewaySettings()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        trustedProxies = try container.decode([CIDRBlock].self, forKey: .trustedProxies, default: [])
        maxBodySize = try container.decode(Int64.self, forKey: .maxBodySize, default: defaults.maxBodySize)
        try ConfigCheck.require(maxBodySize >= 0, .maxBodySize, in: container, "expected a number of bytes, 0 or more")
        paths = try container.decode(PathSettings.self, forKey: .paths, default: PathSettings())
        loadShedding = try container.decodeIfPresent(LoadSheddingSettings.self, forKey: .loadShedding)
        accessLog = try container.decode(Bool.self, forKey: .accessLog, default: true)
        consumerHeader = try container.decode(String.self, forKey: .consumerHeader, default: "")
        controlPlane = try container.decode([String].self, forKey: .controlPlane, default: [])
    }
}

/// The rules for reading request paths before routing (`settings.paths`).
public struct PathSettings: Sendable, Hashable, Decodable {
    /// The handling of `%2F` in a path: `reject` (400, the default) or
    /// `keep` it as an opaque part of its segment.
    public enum EncodedSlashes: String, Sendable, Hashable, Decodable, CaseIterable {
        case reject, keep
    }

    /// Whether route literals match the path's case exactly. Default false:
    /// `/ADMIN` matches a route for `/admin`, so a policy on `/admin` also
    /// covers an upstream that ignores case.
    public var caseSensitive: Bool
    public var encodedSlashes: EncodedSlashes

    public init(caseSensitive: Bool = false, encodedSlashes: EncodedSlashes = .reject) {
        self.caseSensitive = caseSensitive
        self.encodedSlashes = encodedSlashes
    }

    private enum CodingKeys: String, CodingKey {
        case caseSensitive, encodedSlashes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        caseSensitive = try container.decode(Bool.self, forKey: .caseSensitive, default: false)
        encodedSlashes = try container.decode(EncodedSlashes.self, forKey: .encodedSlashes, default: .reject)
    }
}

/// Adaptive load shedding at the gateway itself (`settings.loadShedding`).
public struct LoadSheddingSettings: Sendable, Hashable, Decodable {
    /// CPU use, above 0 and at most 1, from which shedding may start.
    /// Default 0.8.
    public var cpuThreshold: Double
    public var dryRun: Bool

    public init(cpuThreshold: Double = 0.8, dryRun: Bool = false) {
        self.cpuThreshold = cpuThreshold
        self.dryRun = dryRun
    }

    private enum CodingKeys: String, CodingKey {
        case cpuThreshold, dryRun
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cpuThreshold = try container.decode(Double.self, forKey: .cpuThreshold, default: 0.8)
        try ConfigCheck.require(cpuThreshold > 0 && cpuThreshold <= 1, .cpuThreshold, in: container, "expected a share of CPU above 0 and at most 1, such as 0.8")
        dryRun = try container.decode(Bool.self, forKey: .dryRun, default: false)
    }
}
