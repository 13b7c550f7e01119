/// One consumer of the gateway's `consumers:` list: a name, the
/// credentials that identify it, and its own rate limit.
///
/// ```yaml
/// consumers:
///   - name: billing-app
///     customID: team-42
///     credentials:
///       keyAuth:
///         - keyHash: "sha256:0b0dad4080ba33f6785c296bf66e2ba506951e57ebce5bc39216ae7a464297b1"
///       basicAuth:
///         - username: billing
///           passwordHash: "$y$j9T$..."
///       jwt:
///         - issuer: "http://127.0.0.1:9000/iam"
///           subject: billing-service
///     rateLimit: {rate: 50, burst: 100}
/// ```
///
/// The YAML key `name` is the property `username`. Each credential kind is
/// a list, so that a consumer can hold an old and a new key during a
/// rotation. Entries of `credentials` for other plugins are left to them.
public struct ConsumerConfiguration: Decodable, Sendable, Hashable {
    /// The unique name (YAML `name`): 1 to 128 letters, digits and `.`,
    /// `_`, `-`, `@`, `:`. The gateway allows 1 to 64 letters, digits and
    /// `.`, `_`, `-` in its file.
    public var username: String
    /// An identifier in another system, with the same characters allowed.
    public var customID: String?
    /// API keys, each as `key` (the key itself) or `keyHash` (its SHA-256).
    public var keyAuth: [APIKeyCredential]
    /// Basic authentication users with crypt(3) password hashes.
    public var basicAuth: [BasicAuthCredential]
    /// The token issuers, and optionally subjects, that are this consumer.
    public var jwt: [JWTCredential]
    /// The consumer's own rate limit; see `ConsumerRateLimit`.
    public var rateLimit: ConsumerRateLimit?

    public init(
        username: String,
        customID: String? = nil,
        keyAuth: [APIKeyCredential] = [],
        basicAuth: [BasicAuthCredential] = [],
        jwt: [JWTCredential] = [],
        rateLimit: ConsumerRateLimit? = nil
    ) {
        self.username = username
        self.customID = customID
        self.keyAuth = keyAuth
        self.basicAuth = basicAuth
        self.jwt = jwt
        self.rateLimit = rateLimit
    }

    private enum CodingKeys: String, CodingKey {
        case name, customID, credentials, rateLimit
    }

    private enum CredentialKeys: String, CodingKey {
        case keyAuth, basicAuth, jwt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        username = try container.decode(String.self, forKey: .name)
        customID = try container.decodeIfPresent(String.self, forKey: .customID)
        if container.contains(.credentials), try !container.decodeNil(forKey: .credentials) {
            let credentials = try container.nestedContainer(keyedBy: CredentialKeys.self, forKey: .credentials)
            keyAuth = try credentials.decode([APIKeyCredential].self, forKey: .keyAuth, or: [])
            basicAuth = try credentials.decode([BasicAuthCredential].self, forKey: .basicAuth, or: [])
            jwt = try credentials.decode([JWTCredential].self, forKey: .jwt, or: [])
        } else {
            keyAuth = []
            basicAuth = []
            jwt = []
        }
        rateLimit = try container.decodeIfPresent(ConsumerRateLimit.self, forKey: .rateLimit)
        try validate()
    }

    /// Checks every field, throwing an error that names the first invalid
    /// one by its YAML key path, such as `credentials.keyAuth[1]`.
    /// Uniqueness across consumers is checked by `ConsumerRegistry`.
    public func validate() throws(PolicyConfigurationError) {
        try Self.validateName(username, field: "name")
        if let customID {
            try Self.validateName(customID, field: "customID")
        }
        for (index, credential) in keyAuth.enumerated() {
            _ = try credential.digest(field: "credentials.keyAuth[\(index)]")
        }
        for (index, credential) in basicAuth.enumerated() {
            _ = try credential.validated(field: "credentials.basicAuth[\(index)]")
        }
        for (index, credential) in jwt.enumerated() {
            try credential.validate(field: "credentials.jwt[\(index)]")
        }
        try rateLimit?.validate(field: "rateLimit")
    }

    static func validateName(_ name: String, field: String) throws(PolicyConfigurationError) {
        let allowed = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                Array("._-@:".utf8).contains(byte)
            }
        }
        guard allowed, (1...128).contains(name.utf8.count) else {
            throw PolicyConfigurationError(field: field, value: name, expected: "1 to 128 letters, digits and . _ - @ :")
        }
    }
}
