import StratusKit

/// One route (an entry of `routes`): what it matches, how it changes the
/// request and response, its policies and plugins, and its upstream.
public struct RouteConfiguration: Sendable, Hashable, Decodable {
    public var name: String
    public var match: RouteMatchConfiguration
    /// Breaks ties between routes of the same host and path kind; higher
    /// first. Default 0.
    public var priority: Int
    /// The name of an entry of `upstreams`.
    public var upstream: String
    public var canary: CanaryConfiguration?
    public var rewrite: RewriteConfiguration?
    /// Sends the client's `Host` upstream; by default the upstream
    /// instance's endpoint is sent.
    public var preserveHost: Bool
    public var requestHeaders: HeaderRewriteConfiguration
    public var responseHeaders: HeaderRewriteConfiguration
    /// Whether WebSocket and other upgrades pass through. Default true.
    public var allowUpgrades: Bool
    public var policies: RoutePolicies
    /// The plugins configured on the route, by name; their settings are
    /// decoded by the plugins.
    public var pluginNames: [String]

    private enum CodingKeys: String, CodingKey {
        case name, match, priority, upstream, canary, rewrite, preserveHost, requestHeaders, responseHeaders
        case allowUpgrades, policies, plugins
    }

    public init(name: String, match: RouteMatchConfiguration, upstream: String) {
        self.name = name
        self.match = match
        priority = 0
        self.upstream = upstream
        canary = nil
        rewrite = nil
        preserveHost = false
        requestHeaders = HeaderRewriteConfiguration()
        responseHeaders = HeaderRewriteConfiguration()
        allowUpgrades = true
        policies = RoutePolicies()
        pluginNames = []
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        try GatewayName.check(name, forKey: CodingKeys.name, in: container, what: "route name")
        match = try container.decode(RouteMatchConfiguration.self, forKey: .match)
        priority = try container.decode(Int.self, forKey: .priority, default: 0)
        upstream = try container.decode(String.self, forKey: .upstream)
        canary = try container.decodeIfPresent(CanaryConfiguration.self, forKey: .canary)
        rewrite = try container.decodeIfPresent(RewriteConfiguration.self, forKey: .rewrite)
        preserveHost = try container.decode(Bool.self, forKey: .preserveHost, default: false)
        requestHeaders = try container.decode(HeaderRewriteConfiguration.self, forKey: .requestHeaders, default: HeaderRewriteConfiguration())
        responseHeaders = try container.decode(HeaderRewriteConfiguration.self, forKey: .responseHeaders, default: HeaderRewriteConfiguration())
        allowUpgrades = try container.decode(Bool.self, forKey: .allowUpgrades, default: true)
        policies = try container.decode(RoutePolicies.self, forKey: .policies, default: RoutePolicies())
        pluginNames = try container.decodeIfPresent(PluginNames.self, forKey: .plugins)?.names ?? []
    }
}

/// The conditions a request must meet to take a route; all must hold.
public struct RouteMatchConfiguration: Sendable, Hashable, Decodable {
    /// Host names (`api.example.com`) or wildcards (`*.example.com`);
    /// empty matches every host.
    public var hosts: [String]
    public var path: PathPattern
    /// Methods, upper case; empty matches every method.
    public var methods: [String]
    public var headers: [FieldCondition]
    public var query: [FieldCondition]

    public init(path: PathPattern, hosts: [String] = [], methods: [String] = [], headers: [FieldCondition] = [], query: [FieldCondition] = []) {
        self.path = path
        self.hosts = hosts
        self.methods = methods
        self.headers = headers
        self.query = query
    }

    private enum CodingKeys: String, CodingKey {
        case hosts, exact, prefix, template, regex, methods, headers, query
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hosts = try container.decode([String].self, forKey: .hosts, default: [])
        var patterns: [PathPattern] = []
        if let text = try container.decodeIfPresent(String.self, forKey: .exact) { patterns.append(.exact(text)) }
        if let text = try container.decodeIfPresent(String.self, forKey: .prefix) { patterns.append(.prefix(text)) }
        if let text = try container.decodeIfPresent(String.self, forKey: .template) { patterns.append(.template(text)) }
        if let text = try container.decodeIfPresent(String.self, forKey: .regex) { patterns.append(.regex(text)) }
        guard patterns.count == 1 else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "expected exactly one of exact, prefix, template or regex, found \(patterns.count)"
            ))
        }
        path = patterns[0]
        methods = try container.decode([String].self, forKey: .methods, default: [])
        headers = try container.decode([FieldCondition].self, forKey: .headers, default: [])
        query = try container.decode([FieldCondition].self, forKey: .query, default: [])
    }
}

/// The kind of match a route applies to the normalized path.
public enum PathPattern: Sendable, Hashable, CustomStringConvertible {
    /// The whole path, such as `/healthz`.
    case exact(String)
    /// A path prefix ending at a segment boundary: `/api` matches `/api`
    /// and `/api/users`, not `/apis`.
    case prefix(String)
    /// A route template: `/v1/users/{id}`, `:id`, `*` and a trailing `**`.
    case template(String)
    /// A regular expression that must match the whole path.
    case regex(String)

    public var description: String {
        switch self {
        case .exact(let text): "exact \(text)"
        case .prefix(let text): "prefix \(text)"
        case .template(let text): "template \(text)"
        case .regex(let text): "regex \(text)"
        }
    }
}

/// A condition on one header field or query parameter: present, equal to
/// a value, or matching a regular expression.
public struct FieldCondition: Sendable, Hashable, Decodable {
    public var name: String
    public var value: String?
    public var regex: String?
    /// With neither value nor regex: whether the field must be present
    /// (true, the default) or absent (false).
    public var present: Bool

    public init(name: String, value: String? = nil, regex: String? = nil, present: Bool = true) {
        self.name = name
        self.value = value
        self.regex = regex
        self.present = present
    }

    private enum CodingKeys: String, CodingKey {
        case name, value, regex, present
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        try ConfigCheck.require(!name.isEmpty, .name, in: container, "expected a field name")
        value = try container.decodeIfPresent(String.self, forKey: .value)
        regex = try container.decodeIfPresent(String.self, forKey: .regex)
        try ConfigCheck.require(value == nil || regex == nil, .regex, in: container, "set value or regex, not both")
        present = try container.decode(Bool.self, forKey: .present, default: true)
    }
}
