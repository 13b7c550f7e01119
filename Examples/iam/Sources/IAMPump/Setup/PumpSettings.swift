import StratusKit

/// The `pump` section.
///
/// ```yaml
/// pump:
///   token: shared-with-the-authz-servers
///   omitDetailedRecording: false
///   skipUsernames: []
///   aggregateInterval: 10s
///   cleanupInterval: 1h
///   expiredSecretGrace: 24h
///   archiveRetentionDays: 180
///   maxInactiveDays: 0
///   ackTimeout: 10s
/// ```
public struct PumpSettings: Decodable, Sendable {
    /// The token authorization servers send in `X-IAM-Internal-Token`.
    public var token: String = ""
    public var omitDetailedRecording = false
    public var usernames: [String] = []
    public var skipUsernames: [String] = []
    public var aggregateInterval: Duration = .seconds(10)
    public var cleanupInterval: Duration = .seconds(3600)
    /// How long after its `expires` a secret is deleted.
    public var expiredSecretGrace: Duration = .seconds(24 * 3600)
    /// Days an archived policy is kept (upstream: 180).
    public var archiveRetentionDays: Int64 = 180
    /// How long the change log keeps events.
    public var changeRetention: Duration = .seconds(24 * 3600)
    /// Days without a login after which a user is disabled; 0 turns it off.
    public var maxInactiveDays: Int64 = 0
    /// How long an audit batch taken from the event bus may stay unacked
    /// before another pump gets it, as when this one dies.
    public var ackTimeout: Duration = .seconds(10)

    public init() {}

    enum CodingKeys: String, CodingKey {
        case token, omitDetailedRecording, usernames, skipUsernames, aggregateInterval, cleanupInterval
        case expiredSecretGrace, archiveRetentionDays, changeRetention, maxInactiveDays, ackTimeout
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = PumpSettings()
        token = try container.decode(String.self, forKey: .token, default: defaults.token)
        omitDetailedRecording = try container.decode(Bool.self, forKey: .omitDetailedRecording, default: defaults.omitDetailedRecording)
        usernames = try container.decode([String].self, forKey: .usernames, default: defaults.usernames)
        skipUsernames = try container.decode([String].self, forKey: .skipUsernames, default: defaults.skipUsernames)
        aggregateInterval = try container.decode(Duration.self, forKey: .aggregateInterval, default: defaults.aggregateInterval)
        cleanupInterval = try container.decode(Duration.self, forKey: .cleanupInterval, default: defaults.cleanupInterval)
        expiredSecretGrace = try container.decode(Duration.self, forKey: .expiredSecretGrace, default: defaults.expiredSecretGrace)
        archiveRetentionDays = try container.decode(Int64.self, forKey: .archiveRetentionDays, default: defaults.archiveRetentionDays)
        changeRetention = try container.decode(Duration.self, forKey: .changeRetention, default: defaults.changeRetention)
        maxInactiveDays = try container.decode(Int64.self, forKey: .maxInactiveDays, default: defaults.maxInactiveDays)
        ackTimeout = try container.decode(Duration.self, forKey: .ackTimeout, default: defaults.ackTimeout)
    }
}
