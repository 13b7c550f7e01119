public import IAMStorage
import StratusKit

/// The API server's own configuration sections.
///
/// ```yaml
/// jwt:
///   key: change-me-6-to-32-chars
///   timeout: 24h
///   maxRefresh: 24h
/// storage:
///   driver: sqlite            # or postgres
///   path: .stratus/iam.db     # sqlite
///   url: postgresql://iam@127.0.0.1:5432/iam   # postgres
/// internal:
///   token: shared-with-the-authz-server
/// ```
public struct APIServerSettings: Sendable {
    public var jwt: JWTSettings
    public var storage: StorageSettings
    public var internalAPI: InternalSettings
    public var limits: LimitSettings

    public init(jwt: JWTSettings, storage: StorageSettings = StorageSettings(), internalAPI: InternalSettings = InternalSettings(), limits: LimitSettings = LimitSettings()) {
        self.jwt = jwt
        self.storage = storage
        self.internalAPI = internalAPI
        self.limits = limits
    }
}

/// The `jwt` section: the session tokens `POST /login` issues.
public struct JWTSettings: Decodable, Sendable {
    /// The HMAC-SHA256 key, 6 to 32 characters. It has no default: every
    /// deployment sets its own.
    public var key: String
    /// How long a token is valid.
    public var timeout: Duration = .seconds(24 * 3600)
    /// How long after its issue a token may be refreshed.
    public var maxRefresh: Duration = .seconds(24 * 3600)
    /// The realm of the `WWW-Authenticate` header.
    public var realm: String = "JWT"

    public init(key: String) {
        self.key = key
    }

    enum CodingKeys: String, CodingKey {
        case key, timeout, maxRefresh, realm
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key, default: "")
        timeout = try container.decode(Duration.self, forKey: .timeout, default: .seconds(24 * 3600))
        maxRefresh = try container.decode(Duration.self, forKey: .maxRefresh, default: .seconds(24 * 3600))
        realm = try container.decode(String.self, forKey: .realm, default: "JWT")
    }

    public static let keyLength = 6...32

    /// Returns a description of an invalid setting, or nil.
    public func problem() -> String? {
        guard Self.keyLength.contains(key.count) else {
            return "jwt.key has \(key.count) characters; expected 6 to 32"
        }
        guard timeout > .zero, maxRefresh >= .zero else {
            return "jwt.timeout must be positive and jwt.maxRefresh not negative"
        }
        return nil
    }
}

/// The `internal` section: the endpoints only IAM services call.
public struct InternalSettings: Decodable, Sendable {
    /// The token callers send in `X-IAM-Internal-Token`. While it is empty
    /// the internal endpoints return 404, because they expose secret keys.
    public var token: String = ""
    /// The maximum time a change-feed request waits for a change. It stays
    /// below `server.requestTimeout` (30 s by default), which would end the
    /// request with a 504.
    public var maxWait: Duration = .seconds(20)
    /// How often a waiting change-feed request checks the database for
    /// changes that other replicas committed.
    public var pollInterval: Duration = .milliseconds(100)

    public init() {}

    enum CodingKeys: String, CodingKey {
        case token, maxWait, pollInterval
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        token = try container.decode(String.self, forKey: .token, default: "")
        maxWait = try container.decode(Duration.self, forKey: .maxWait, default: .seconds(20))
        pollInterval = try container.decode(Duration.self, forKey: .pollInterval, default: .milliseconds(100))
    }
}

/// The `limits` section.
public struct LimitSettings: Decodable, Sendable {
    /// Secrets one user may own.
    public var maxSecretsPerUser: Int = 10

    public init() {}

    enum CodingKeys: String, CodingKey {
        case maxSecretsPerUser
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxSecretsPerUser = try container.decode(Int.self, forKey: .maxSecretsPerUser, default: 10)
    }
}
