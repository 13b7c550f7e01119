import StratusKit

/// The authorization server's own configuration sections.
///
/// ```yaml
/// apiserver:
///   internalToken: shared-with-the-apiserver
///   changeWait: 1500ms
///   safetyReload: 60s
/// audit:
///   token: shared-with-the-pump
///   capacity: 10000
///   batchSize: 500
///   flushInterval: 200ms
/// ```
public struct AuthzServerSettings: Decodable, Sendable {
    public var internalToken: String = ""
    /// How long one change-feed request waits; keep it below
    /// `clients.perTryTimeout`.
    public var changeWait: Duration = .milliseconds(1500)
    /// The maximum time between two full reloads of the cache.
    public var safetyReload: Duration = .seconds(60)

    public init() {}

    enum CodingKeys: String, CodingKey {
        case internalToken, changeWait, safetyReload
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        internalToken = try container.decode(String.self, forKey: .internalToken, default: "")
        changeWait = try container.decode(Duration.self, forKey: .changeWait, default: .milliseconds(1500))
        safetyReload = try container.decode(Duration.self, forKey: .safetyReload, default: .seconds(60))
    }
}

/// The `audit` section: how decisions reach the pump.
public struct AuditSettings: Decodable, Sendable {
    /// The pump's internal token.
    public var token: String = ""
    /// Records kept while the pump is unreachable; more are dropped and counted.
    public var capacity: Int = 10_000
    public var batchSize: Int = 500
    public var flushInterval: Duration = .milliseconds(200)

    public init() {}

    enum CodingKeys: String, CodingKey {
        case token, capacity, batchSize, flushInterval
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        token = try container.decode(String.self, forKey: .token, default: "")
        capacity = try container.decode(Int.self, forKey: .capacity, default: 10_000)
        batchSize = try container.decode(Int.self, forKey: .batchSize, default: 500)
        flushInterval = try container.decode(Duration.self, forKey: .flushInterval, default: .milliseconds(200))
    }
}
