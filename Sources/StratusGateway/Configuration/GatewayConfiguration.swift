import StratusKit

/// The gateway's declarative configuration: routes, upstreams, consumers
/// and gateway-wide settings, as read from YAML (docs/gateway.md lists
/// every field).
///
/// Decoding checks each value's type and range; `GatewayConfigurationLoader`
/// then checks the references between sections and builds the plugins.
public struct GatewayConfiguration: Sendable, Hashable, Decodable {
    public var settings: GatewaySettings
    public var upstreams: [UpstreamConfiguration]
    public var routes: [RouteConfiguration]
    /// The callers the gateway identifies by name. Auth plugins attach their
    /// credentials to them under `credentials`.
    public var consumers: [ConsumerConfiguration]

    public init(settings: GatewaySettings = GatewaySettings(), upstreams: [UpstreamConfiguration] = [], routes: [RouteConfiguration] = [], consumers: [ConsumerConfiguration] = []) {
        self.settings = settings
        self.upstreams = upstreams
        self.routes = routes
        self.consumers = consumers
    }

    private enum CodingKeys: String, CodingKey {
        case settings, upstreams, routes, consumers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        settings = try container.decode(GatewaySettings.self, forKey: .settings, default: GatewaySettings())
        upstreams = try container.decode([UpstreamConfiguration].self, forKey: .upstreams, default: [])
        routes = try container.decode([RouteConfiguration].self, forKey: .routes, default: [])
        consumers = try container.decode([ConsumerConfiguration].self, forKey: .consumers, default: [])
    }
}

/// A caller the gateway identifies, such as the owner of an API key.
public struct ConsumerConfiguration: Sendable, Hashable, Decodable {
    /// A name of 1 to 64 letters, digits, `.`, `_` or `-`; the `consumer`
    /// label of metrics and the value of `X-Stratus-Consumer` upstream.
    public var name: String
    /// The plugins that hold credentials for this consumer, by plugin
    /// name; each plugin reads its own entry.
    public var credentialPlugins: [String]

    public init(name: String, credentialPlugins: [String] = []) {
        self.name = name
        self.credentialPlugins = credentialPlugins
    }

    private enum CodingKeys: String, CodingKey {
        case name, credentials
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        try GatewayName.check(name, forKey: CodingKeys.name, in: container, what: "consumer name")
        credentialPlugins = try container.decodeIfPresent(PluginNames.self, forKey: .credentials)?.names ?? []
    }
}

/// The keys of a `plugins` or `credentials` mapping, read without their
/// values: the plugin that owns each value decodes it in a second pass.
struct PluginNames: Decodable {
    var names: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        names = container.allKeys.map(\.stringValue)
    }
}

struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}
