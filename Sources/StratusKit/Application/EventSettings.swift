public import StratusEvents

/// The `events` section: which event bus `ServiceApplication.events`
/// connects to.
///
/// ```yaml
/// events:
///   backend: nats
///   natsURLs: [nats://127.0.0.1:4222]
/// ```
public struct EventSettings: Sendable, Decodable {
    /// `embedded` (the control plane's broker) or `nats`. Default embedded.
    public var backend = "embedded"
    /// The control plane's URL for the embedded broker. Default: the first
    /// of `controlPlane.endpoints`, else http://127.0.0.1:7700.
    public var url: String?
    /// NATS server URLs for the nats backend.
    public var natsURLs: [String] = []
    /// Partitions of keyed messages on NATS; the same for every client of
    /// a topic. Default 8.
    public var natsPartitions = 8

    public init() {}

    enum CodingKeys: String, CodingKey {
        case backend, url, natsURLs, natsPartitions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        backend = try container.decodeIfPresent(String.self, forKey: .backend) ?? backend
        url = try container.decodeIfPresent(String.self, forKey: .url)
        natsURLs = try container.decodeIfPresent([String].self, forKey: .natsURLs) ?? natsURLs
        natsPartitions = try container.decodeIfPresent(Int.self, forKey: .natsPartitions) ?? natsPartitions
    }

    /// Returns the bus configuration these settings describe.
    ///
    /// - Throws: `StartupError` naming the key at fault.
    public func busConfiguration(controlPlane: ControlPlaneSettings?) throws(StartupError) -> EventBusConfiguration {
        var configuration: EventBusConfiguration
        switch backend {
        case "embedded":
            configuration = EventBusConfiguration(backend: .embedded(url: url ?? controlPlane?.endpoints.first ?? "http://127.0.0.1:7700"))
        case "nats":
            guard !natsURLs.isEmpty else {
                throw StartupError("events.natsURLs is empty but events.backend is nats; list the servers, such as [nats://127.0.0.1:4222]")
            }
            configuration = EventBusConfiguration(backend: .nats(urls: natsURLs))
        default:
            throw StartupError("invalid events.backend \(backend); expected embedded or nats")
        }
        configuration.natsPartitions = natsPartitions
        do {
            try configuration.validate()
        } catch {
            throw StartupError("invalid events section: \(error.message)")
        }
        return configuration
    }
}
