import CCrypto
public import StratusHTTP
public import StratusResilience

/// Authenticates a request by `Authorization: Basic` with a consumer's user
/// name and password.
///
/// Passwords are checked with crypt_r(3) on a `BlockingWorkPool`, never on
/// the event loop. An unknown user name costs one hash too, against a
/// configured hash, so response times do not reveal which names exist.
/// Verified pairs are remembered for `cacheTTL` under a salted SHA-256 of
/// the pair; the salt is random per authenticator.
public final class BasicAuthenticator: Authenticator {
    public let configuration: BasicAuthConfiguration
    private let consumers: ConsumerRegistry
    private let pool: BlockingWorkPool
    private let cache: ExpiringCache<SHA256Digest, GatewayConsumer>
    private let cacheSalt: [UInt8]
    private let clock: ResilienceClock
    /// The hash checked for unknown user names.
    private let decoyHash: PasswordHash?

    /// The longest `Authorization` value read, in bytes.
    static let maxFieldLength = 4096

    public init(configuration: BasicAuthConfiguration, consumers: ConsumerRegistry, clock: ResilienceClock = .system) throws(PolicyConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.consumers = consumers
        self.clock = clock
        pool = BlockingWorkPool(width: configuration.maxConcurrentHashes)
        cache = ExpiringCache(ttl: configuration.cacheTTL, capacity: 10_000)
        var salt = [UInt8](repeating: 0, count: 32)
        precondition(RAND_bytes(&salt, 32) == 1, "OpenSSL's RAND_bytes failed to produce a cache salt")
        cacheSalt = salt
        decoyHash = consumers.anyPasswordHash
    }

    public var method: Authentication.Method { .basicAuth }

    public func challenge(for reason: PolicyFailureReason) -> String {
        // RFC 7617, section 2.1: the charset parameter announces that user
        // names and passwords are read as UTF-8.
        "Basic " + .quotedRealm(configuration.realm) + ", charset=\"UTF-8\""
    }

    public func authenticate(_ request: Request, context: RequestContext) async -> AuthenticationResult {
        let fields = request.headers.values(for: "Authorization")
        guard fields.contains(where: { AuthorizationField.scheme(of: $0, is: "Basic") }) else { return .noCredential }
        guard fields.count == 1, let field = fields.first else {
            return .rejected(.invalidCredentials, detail: "several Authorization fields")
        }
        guard field.utf8.count <= Self.maxFieldLength, let (username, password) = Self.decode(field) else {
            return .rejected(.invalidCredentials, detail: "malformed Basic credentials")
        }
        guard let (consumer, hash) = consumers.basicCredential(username: username) else {
            if let decoyHash {
                _ = await pool.run { decoyHash.verify(password) }
            }
            return .rejected(.invalidCredentials, detail: "unknown user")
        }
        let cacheKey = SHA256Digest(of: cacheSalt + Array(username.utf8) + [0] + Array(password.utf8))
        if cache.value(for: cacheKey, now: clock.now()) == nil {
            guard await pool.run({ hash.verify(password) }) else {
                return .rejected(.invalidCredentials, detail: "wrong password")
            }
            cache.store(consumer, for: cacheKey, now: clock.now())
        }
        var forwarded = request
        if configuration.hideCredentials {
            forwarded.headers.remove("Authorization")
        }
        return .authenticated(consumer.authenticated(by: .basicAuth, subject: username), request: forwarded)
    }

    /// Returns the user name and password of `Basic <base64(user:password)>`,
    /// or nil when the value is not exactly that with valid UTF-8.
    static func decode(_ field: String) -> (username: String, password: String)? {
        guard let encoded = AuthorizationField.credentials(of: field),
            let bytes = Base64.decode(encoded, alphabet: .standard),
            let text = String(validating: bytes, as: UTF8.self),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        let username = String(text[..<colon])
        let password = String(text[text.index(after: colon)...])
        guard !username.isEmpty, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return (username, password)
    }
}

/// Parsing of `Authorization: <scheme> <credentials>` (RFC 9110, section 11.4).
enum AuthorizationField {
    // Both scan UTF-8 bytes: a space byte is never part of another
    // character's encoding, and every request with a token passes here.

    /// Returns whether the field's scheme is `scheme`, ignoring ASCII case.
    static func scheme(of field: String, is scheme: String) -> Bool {
        let trimmed = field.trimmingASCIISpaces()
        let end = trimmed.utf8.firstIndex(of: UInt8(ascii: " ")) ?? trimmed.endIndex
        return trimmed[..<end].equalsIgnoringASCIICase(scheme)
    }

    /// Returns the credentials after the scheme and one or more spaces, or
    /// nil when there are none or they contain a space.
    static func credentials(of field: String) -> Substring? {
        let trimmed = field.trimmingASCIISpaces()
        let bytes = trimmed.utf8
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")),
            let start = bytes[space...].firstIndex(where: { $0 != UInt8(ascii: " ") })
        else { return nil }
        let credentials = trimmed[start...]
        let hasSpace = credentials.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: " ")) }
            ?? credentials.utf8.contains(UInt8(ascii: " "))
        return hasSpace ? nil : credentials
    }
}
