public import StratusLog

/// Which broker an `EventBus` uses, and how.
public struct EventBusConfiguration: Sendable {
    public enum Backend: Sendable, Hashable {
        /// The control plane's embedded broker, by the control plane's base
        /// URL, such as `http://127.0.0.1:7700`.
        case embedded(url: String)
        /// NATS JetStream, by server URLs such as `nats://127.0.0.1:4222`;
        /// the client connects to the first that answers.
        case nats(urls: [String])
    }

    public var backend: Backend
    /// The longest wait for the broker to answer a publish, ack or nack.
    /// Default 10 s.
    public var requestTimeout: Duration = .seconds(10)
    /// The number of partitions a NATS topic spreads keyed messages over.
    /// Each partition has one message in flight per group at a time, which
    /// keeps per-key order. All clients of one topic must use the same
    /// value. Default 8; 1 to 64. The embedded broker orders by key and
    /// ignores it.
    public var natsPartitions = 8
    /// The retention of the streams the NATS backend creates. The embedded
    /// broker's retention is the control plane's setting.
    public var natsRetention = EventRetention()
    public var logger = Logger(label: "stratus.events")

    public init(backend: Backend) {
        self.backend = backend
    }

    public func validate() throws(EventBusError) {
        switch backend {
        case .embedded(let url):
            guard url.hasPrefix("http://") else {
                throw .invalid("embedded broker URL", url, expected: "the control plane's http://host:port")
            }
        case .nats(let urls):
            guard !urls.isEmpty else {
                throw EventBusError(.invalidArgument, "no NATS URL given; expected at least one nats://host:port")
            }
            for url in urls {
                _ = try NATSEndpoint(url: url)
            }
        }
        guard (1...64).contains(natsPartitions) else {
            throw .invalid("natsPartitions", "\(natsPartitions)", expected: "1 to 64")
        }
        try natsRetention.validate()
    }
}
