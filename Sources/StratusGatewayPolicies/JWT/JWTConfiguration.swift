/// The `jwt` plugin: authenticate with a signed bearer token
/// (`Authorization: Bearer <JWT>`, RFC 6750) whose issuer, and optionally
/// subject, belongs to a consumer.
///
/// ```yaml
/// plugins:
///   jwt:
///     algorithms: [RS256, ES256]
///     jwksURL: "http://127.0.0.1:9000/.well-known/jwks.json"
///     keys:
///       - kid: legacy-2024
///         publicKeyFile: /etc/stratus/keys/legacy.pem
///     issuers: ["http://127.0.0.1:9000/iam"]
///     audiences: [billing-api]
///     clockSkew: 30s
/// ```
public struct JWTConfiguration: Decodable, Sendable, Hashable {
    /// The algorithms accepted on this route; required. `none` does not
    /// exist as a value.
    public var algorithms: [JWTAlgorithm]
    /// Keys from files or literal secrets.
    public var keys: [JWTKeyConfiguration]
    /// A JSON Web Key set file. It may contain `oct` (HMAC) keys.
    public var jwksFile: String?
    /// An `http://` URL of a JSON Web Key set, fetched and cached. Only
    /// RSA and EC keys are taken from it.
    public var jwksURL: String?
    /// How often the JWKS URL is fetched again. Default 5 min.
    public var jwksRefreshInterval: Duration
    /// The minimum time between two fetches of the JWKS URL, also those
    /// for an unknown `kid`. Default 10 s.
    public var jwksMinRefreshInterval: Duration
    /// The time allowed for one fetch of the JWKS URL. Default 5 s.
    public var jwksTimeout: Duration
    /// The accepted `iss` values; empty accepts any issuer. A token's
    /// issuer must still belong to a consumer.
    public var issuers: [String]
    /// The accepted `aud` values; empty skips the audience check.
    public var audiences: [String]
    /// The clock difference tolerated for `exp`, `nbf` and `iat`. Default
    /// 30 s, at most 5 min.
    public var clockSkew: Duration
    /// Whether a token without `exp` is rejected. Default true.
    public var requireExpiration: Bool
    /// The maximum token length accepted, in bytes. Default 8,192.
    public var maxTokenLength: Int
    /// Whether to remove `Authorization` from the forwarded request.
    /// Default false, so upstreams can read the claims themselves.
    public var hideCredentials: Bool
    /// The consumer that requests without a token get; nil (the default)
    /// rejects them with 401.
    public var anonymous: String?
    /// The realm of the `WWW-Authenticate: Bearer` challenge. Default `stratus`.
    public var realm: String
    /// How long a verified token is remembered, so that its next requests
    /// skip the signature and JSON work; `0` disables the cache. An entry
    /// never outlives the token's `exp` + `clockSkew`. Default 60 s.
    public var cacheTTL: Duration
    /// The maximum number of tokens remembered. Default 10,000.
    public var cacheSize: Int

    public init(
        algorithms: [JWTAlgorithm],
        keys: [JWTKeyConfiguration] = [],
        jwksFile: String? = nil,
        jwksURL: String? = nil,
        jwksRefreshInterval: Duration = .seconds(300),
        jwksMinRefreshInterval: Duration = .seconds(10),
        jwksTimeout: Duration = .seconds(5),
        issuers: [String] = [],
        audiences: [String] = [],
        clockSkew: Duration = .seconds(30),
        requireExpiration: Bool = true,
        maxTokenLength: Int = 8192,
        hideCredentials: Bool = false,
        anonymous: String? = nil,
        realm: String = "stratus",
        cacheTTL: Duration = .seconds(60),
        cacheSize: Int = 10_000
    ) {
        self.algorithms = algorithms
        self.keys = keys
        self.jwksFile = jwksFile
        self.jwksURL = jwksURL
        self.jwksRefreshInterval = jwksRefreshInterval
        self.jwksMinRefreshInterval = jwksMinRefreshInterval
        self.jwksTimeout = jwksTimeout
        self.issuers = issuers
        self.audiences = audiences
        self.clockSkew = clockSkew
        self.requireExpiration = requireExpiration
        self.maxTokenLength = maxTokenLength
        self.hideCredentials = hideCredentials
        self.anonymous = anonymous
        self.realm = realm
        self.cacheTTL = cacheTTL
        self.cacheSize = cacheSize
    }

    private enum CodingKeys: String, CodingKey {
        case algorithms, keys, jwksFile, jwksURL, jwksRefreshInterval, jwksMinRefreshInterval, jwksTimeout
        case issuers, audiences, clockSkew, requireExpiration, maxTokenLength, hideCredentials, anonymous, realm, cacheTTL, cacheSize
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = JWTConfiguration(algorithms: [])
        algorithms = try container.decode([JWTAlgorithm].self, forKey: .algorithms)
        keys = try container.decode([JWTKeyConfiguration].self, forKey: .keys, or: [])
        jwksFile = try container.decodeIfPresent(String.self, forKey: .jwksFile)
        jwksURL = try container.decodeIfPresent(String.self, forKey: .jwksURL)
        jwksRefreshInterval = try container.decode(Duration.self, forKey: .jwksRefreshInterval, or: defaults.jwksRefreshInterval)
        jwksMinRefreshInterval = try container.decode(Duration.self, forKey: .jwksMinRefreshInterval, or: defaults.jwksMinRefreshInterval)
        jwksTimeout = try container.decode(Duration.self, forKey: .jwksTimeout, or: defaults.jwksTimeout)
        issuers = try container.decode([String].self, forKey: .issuers, or: [])
        audiences = try container.decode([String].self, forKey: .audiences, or: [])
        clockSkew = try container.decode(Duration.self, forKey: .clockSkew, or: defaults.clockSkew)
        requireExpiration = try container.decode(Bool.self, forKey: .requireExpiration, or: true)
        maxTokenLength = try container.decode(Int.self, forKey: .maxTokenLength, or: defaults.maxTokenLength)
        hideCredentials = try container.decode(Bool.self, forKey: .hideCredentials, or: false)
        anonymous = try container.decodeIfPresent(String.self, forKey: .anonymous)
        realm = try container.decode(String.self, forKey: .realm, or: defaults.realm)
        cacheTTL = try container.decode(Duration.self, forKey: .cacheTTL, or: defaults.cacheTTL)
        cacheSize = try container.decode(Int.self, forKey: .cacheSize, or: defaults.cacheSize)
        try validate()
    }

    /// Checks every field, throwing an error that names the first invalid
    /// one. Key files are read later, when the authenticator is built.
    public func validate() throws(PolicyConfigurationError) {
        guard !algorithms.isEmpty else {
            throw PolicyConfigurationError(field: "algorithms", value: nil, expected: "one or more of \(JWTAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for (index, key) in keys.enumerated() {
            try key.validate(field: "keys[\(index)]")
        }
        guard !keys.isEmpty || jwksFile != nil || jwksURL != nil else {
            throw PolicyConfigurationError(field: "keys", value: nil, expected: "keys, jwksFile or jwksURL")
        }
        if let jwksURL, !jwksURL.hasPrefix("http://") {
            throw PolicyConfigurationError(field: "jwksURL", value: jwksURL, expected: "an http:// URL")
        }
        try Self.requirePositive(jwksRefreshInterval, field: "jwksRefreshInterval")
        try Self.requirePositive(jwksTimeout, field: "jwksTimeout")
        guard jwksMinRefreshInterval >= .zero else {
            throw PolicyConfigurationError(field: "jwksMinRefreshInterval", value: "\(jwksMinRefreshInterval)", expected: "0 or more")
        }
        guard clockSkew >= .zero, clockSkew <= .seconds(300) else {
            throw PolicyConfigurationError(field: "clockSkew", value: "\(clockSkew)", expected: "0s to 5m")
        }
        guard cacheTTL >= .zero, cacheTTL <= .seconds(3600) else {
            throw PolicyConfigurationError(field: "cacheTTL", value: "\(cacheTTL)", expected: "0s to 1h; 0 disables the cache")
        }
        guard cacheSize >= 0 else {
            throw PolicyConfigurationError(field: "cacheSize", value: "\(cacheSize)", expected: "0 or more")
        }
        guard (256...65536).contains(maxTokenLength) else {
            throw PolicyConfigurationError(field: "maxTokenLength", value: "\(maxTokenLength)", expected: "256 to 65536 bytes")
        }
        try Realm.validate(realm)
    }

    private static func requirePositive(_ duration: Duration, field: String) throws(PolicyConfigurationError) {
        guard duration > .zero else {
            throw PolicyConfigurationError(field: field, value: "\(duration)", expected: "a positive duration such as 5s")
        }
    }
}

/// One configured verification key: a PEM public key file, an HMAC
/// secret, or a file holding the secret.
public struct JWTKeyConfiguration: Decodable, Sendable, Hashable {
    /// The key ID that tokens name in their `kid` header; nil for a key
    /// tried on tokens without `kid`.
    public var kid: String?
    /// The only algorithm the key verifies, when set.
    public var algorithm: JWTAlgorithm?
    /// A PEM file with `-----BEGIN PUBLIC KEY-----` (RSA of 2,048 bits or
    /// more, or EC on P-256 or P-384).
    public var publicKeyFile: String?
    /// An HMAC secret of at least 32 bytes, as UTF-8 text.
    public var secret: String?
    /// A file whose whole content is the HMAC secret.
    public var secretFile: String?

    public init(kid: String? = nil, algorithm: JWTAlgorithm? = nil, publicKeyFile: String? = nil, secret: String? = nil, secretFile: String? = nil) {
        self.kid = kid
        self.algorithm = algorithm
        self.publicKeyFile = publicKeyFile
        self.secret = secret
        self.secretFile = secretFile
    }

    func validate(field: String) throws(PolicyConfigurationError) {
        let sources = [publicKeyFile != nil, secret != nil, secretFile != nil].filter { $0 }.count
        guard sources == 1 else {
            throw PolicyConfigurationError(field: field, value: nil, expected: "exactly one of publicKeyFile, secret and secretFile")
        }
        if let secret, secret.utf8.count < VerificationKey.minimumSecretLength {
            throw .secret(field: field + ".secret", expected: "at least \(VerificationKey.minimumSecretLength) bytes (RFC 7518, section 3.2)")
        }
        if let algorithm, publicKeyFile == nil, algorithm.family != .hmac {
            throw PolicyConfigurationError(field: field + ".algorithm", value: algorithm.rawValue, expected: "an HS algorithm for a secret")
        }
        if let algorithm, publicKeyFile != nil, algorithm.family == .hmac {
            throw PolicyConfigurationError(field: field + ".algorithm", value: algorithm.rawValue, expected: "an RS or ES algorithm for a public key")
        }
    }
}
