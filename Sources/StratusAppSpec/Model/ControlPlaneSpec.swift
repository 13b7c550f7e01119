/// The control plane that `stratus up` runs in its own process.
public struct ControlPlaneSpec: Sendable, Hashable, Codable {
    /// The address and port to serve on; port 0 picks a free port. Default
    /// 127.0.0.1:7700.
    public var listen = "127.0.0.1:7700"
    /// `embedded` (data in the state directory, `.stratus/` by default),
    /// `embedded:DIR` or `memory`. Default `embedded`.
    public var store = "embedded"

    public init(listen: String = "127.0.0.1:7700", store: String = "embedded") {
        self.listen = listen
        self.store = store
    }

    enum CodingKeys: String, CodingKey {
        case listen, store
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        listen = try container.specValue(String.self, forKey: .listen, default: listen)
        store = try container.specValue(String.self, forKey: .store, default: store)
    }
}
