/// The app's gateway: `stratus gateway`, started as a child process with
/// its routes and upstreams taken from this section.
///
/// The orchestrator reads `listen` and `drainPeriod` itself. Every other key,
/// such as `routes` and `upstreams`, is passed through unchanged to the
/// gateway's configuration file, which the gateway validates when it starts.
public struct GatewaySpec: Sendable, Hashable, Codable {
    /// The address and port the gateway listens on. Default 127.0.0.1:8080.
    public var listen = "127.0.0.1:8080"
    /// How long the gateway may take to stop after SIGTERM, so that requests
    /// in flight finish, before it gets SIGKILL (10 s more). Default 1 s.
    public var drainPeriod: Duration = .seconds(1)
    /// The rest of the section, as written.
    public var configuration: [String: SpecValue] = [:]

    public init(listen: String = "127.0.0.1:8080", configuration: [String: SpecValue] = [:]) {
        self.listen = listen
        self.configuration = configuration
    }

    static let ownKeys: Set<String> = ["listen", "drainPeriod"]

    public init(from decoder: any Decoder) throws {
        let wire = SpecCoding.isWireFormat(decoder.userInfo)
        let container = try decoder.container(keyedBy: AnyKey.self)
        listen = try container.specValue(String.self, forKey: AnyKey(stringValue: "listen"), default: listen)
        drainPeriod = try container.specDuration(forKey: AnyKey(stringValue: "drainPeriod"), default: drainPeriod, wire: wire)
        for key in container.allKeys where !Self.ownKeys.contains(key.stringValue) {
            configuration[key.stringValue] = try container.specValue(SpecValue.self, forKey: key, default: .null)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(listen, forKey: AnyKey(stringValue: "listen"))
        try container.encodeDuration(drainPeriod, forKey: AnyKey(stringValue: "drainPeriod"))
        for (key, value) in configuration {
            try container.encode(value, forKey: AnyKey(stringValue: key))
        }
    }
}
