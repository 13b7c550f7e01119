/// The `configCenter` section: the config-center namespaces the service
/// loads at start and follows while it runs, through the control plane of
/// the `controlPlane` section.
///
/// ```yaml
/// configCenter:
///   environment: prod
///   namespaces: [application, database]
///   cacheDirectory: /var/cache/iam-apiserver/config
/// ```
public struct ConfigCenterSettings: Sendable, Decodable {
    /// The application the namespaces belong to. Default: the service name.
    public var application: String?
    /// The environment, such as dev or prod. Default dev.
    public var environment = "dev"
    /// The namespaces loaded before the server starts. Default
    /// `[application]`. `remoteConfiguration(namespace:)` adds others.
    public var namespaces = ["application"]
    /// The directory that keeps the last applied release of each namespace,
    /// so the service starts from it when the control plane is down.
    /// Default none.
    /// The files hold secret values in plain text, with mode 0600.
    public var cacheDirectory: String?
    /// How long the start waits for the control plane before it reads the
    /// cache. Default 5 s.
    public var startTimeout: Duration = .seconds(5)

    public init() {}

    enum CodingKeys: String, CodingKey {
        case application, environment, namespaces, cacheDirectory, startTimeout
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ConfigCenterSettings()
        application = try container.decodeIfPresent(String.self, forKey: .application)
        environment = try container.decode(String.self, forKey: .environment, default: defaults.environment)
        namespaces = try container.decode([String].self, forKey: .namespaces, default: defaults.namespaces)
        cacheDirectory = try container.decodeIfPresent(String.self, forKey: .cacheDirectory)
        startTimeout = try container.decode(Duration.self, forKey: .startTimeout, default: defaults.startTimeout)
    }
}
