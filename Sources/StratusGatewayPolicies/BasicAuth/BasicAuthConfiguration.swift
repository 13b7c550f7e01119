/// The `basicAuth` plugin: authenticate with a user name and password of
/// a consumer (RFC 7617).
///
/// ```yaml
/// plugins:
///   basicAuth:
///     realm: billing
///     cacheTTL: 60s
/// ```
public struct BasicAuthConfiguration: Decodable, Sendable, Hashable {
    /// The realm of the `WWW-Authenticate: Basic` challenge. Default `stratus`.
    public var realm: String
    /// Whether to remove `Authorization` from the forwarded request.
    /// Default true.
    public var hideCredentials: Bool
    /// The consumer that requests without credentials get; nil (the
    /// default) rejects them with 401.
    public var anonymous: String?
    /// How long a verified user name and password pair is remembered, so
    /// that a client's next requests skip the deliberately slow hash.
    /// Default 60 s; 0 disables the cache. The cache keeps a salted SHA-256
    /// of the pair, never the password.
    public var cacheTTL: Duration
    /// The maximum number of password hashes computed at once; more
    /// requests wait.
    /// Default 2. Each hash keeps a core busy for tens of milliseconds, so
    /// this bounds what a flood of wrong passwords costs.
    public var maxConcurrentHashes: Int

    public init(
        realm: String = "stratus",
        hideCredentials: Bool = true,
        anonymous: String? = nil,
        cacheTTL: Duration = .seconds(60),
        maxConcurrentHashes: Int = 2
    ) {
        self.realm = realm
        self.hideCredentials = hideCredentials
        self.anonymous = anonymous
        self.cacheTTL = cacheTTL
        self.maxConcurrentHashes = maxConcurrentHashes
    }

    private enum CodingKeys: String, CodingKey {
        case realm, hideCredentials, anonymous, cacheTTL, maxConcurrentHashes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        realm = try container.decode(String.self, forKey: .realm, or: "stratus")
        hideCredentials = try container.decode(Bool.self, forKey: .hideCredentials, or: true)
        anonymous = try container.decodeIfPresent(String.self, forKey: .anonymous)
        cacheTTL = try container.decode(Duration.self, forKey: .cacheTTL, or: .seconds(60))
        maxConcurrentHashes = try container.decode(Int.self, forKey: .maxConcurrentHashes, or: 2)
        try validate()
    }

    /// Checks every field, throwing an error that names the first invalid one.
    public func validate() throws(PolicyConfigurationError) {
        try Realm.validate(realm)
        guard cacheTTL >= .zero else {
            throw PolicyConfigurationError(field: "cacheTTL", value: "\(cacheTTL)", expected: "a duration of 0 or more, such as 60s")
        }
        guard (1...64).contains(maxConcurrentHashes) else {
            throw PolicyConfigurationError(field: "maxConcurrentHashes", value: "\(maxConcurrentHashes)", expected: "1 to 64")
        }
    }
}
