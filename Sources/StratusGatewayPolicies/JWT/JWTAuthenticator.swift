public import StratusHTTP
public import StratusLog
public import StratusResilience

/// Authenticates a request by a bearer token (`Authorization: Bearer`,
/// RFC 6750, section 2.1) that `JWTVerifier` accepts and whose issuer and
/// subject belong to a consumer (`JWTCredential`).
///
/// Keys are those of the configuration plus, with `jwksURL`, a
/// `RemoteJWKSet`. A token naming an unknown `kid` triggers one fetch of
/// the remote set (rate-limited there) and one more verification.
///
/// A verified token is remembered under its SHA-256 for `cacheTTL`, and
/// never past its `exp` + `clockSkew`, so that a client's next requests
/// with the same token skip the signature check and JSON parsing. A key
/// that leaves the remote set therefore stops accepting tokens that were
/// already verified only when their entries expire.
public final class JWTAuthenticator: Authenticator {
    public let configuration: JWTConfiguration
    public let verifier: JWTVerifier
    /// The remote key set, when the configuration has `jwksURL`.
    public let remoteKeys: RemoteJWKSet?
    private let localKeys: JWTKeySet
    private let consumers: ConsumerRegistry
    private let clock: WallClock
    private let monotonicClock: ResilienceClock
    private let cache: ExpiringCache<SHA256Digest, CachedToken>

    /// A verified token, its consumer (nil when no consumer has its issuer
    /// and subject), and the wall-clock second it stops being valid.
    private struct CachedToken: Sendable {
        let token: VerifiedToken
        let consumer: GatewayConsumer?
        let validUntil: Double?
    }

    /// Reads the configured key files; fetches nothing yet.
    ///
    /// - Parameters:
    ///   - client: fetches the JWKS URL.
    ///   - clock: the time that `exp`, `nbf` and `iat` are checked against.
    ///   - monotonicClock: times the JWKS refreshes.
    public init(
        configuration: JWTConfiguration,
        consumers: ConsumerRegistry,
        client: HTTPClient,
        clock: WallClock = .system,
        monotonicClock: ResilienceClock = .system,
        logger: Logger
    ) throws(PolicyConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.consumers = consumers
        self.clock = clock
        self.monotonicClock = monotonicClock
        cache = ExpiringCache(ttl: configuration.cacheTTL, capacity: configuration.cacheSize)
        localKeys = try JWTKeyLoader.load(configuration)
        let policy = JWTClaimsPolicy(
            issuers: configuration.issuers,
            audiences: configuration.audiences,
            clockSkew: Double(configuration.clockSkew.wholeNanoseconds) / 1e9,
            requiresExpiration: configuration.requireExpiration
        )
        verifier = JWTVerifier(algorithms: Set(configuration.algorithms), claimsPolicy: policy, maxTokenLength: configuration.maxTokenLength)
        remoteKeys = configuration.jwksURL.map { url in
            RemoteJWKSet(
                url: url, client: client, refreshInterval: configuration.jwksRefreshInterval,
                minRefreshInterval: configuration.jwksMinRefreshInterval, timeout: configuration.jwksTimeout,
                clock: monotonicClock, logger: logger
            )
        }
    }

    public var method: Authentication.Method { .jwt }

    public func challenge(for reason: PolicyFailureReason) -> String {
        let realm = "Bearer " + .quotedRealm(configuration.realm)
        // RFC 6750, section 3: no error code when the request had no token.
        return reason == .missingCredentials ? realm : realm + ", error=\"invalid_token\""
    }

    public func authenticate(_ request: Request, context: RequestContext) async -> AuthenticationResult {
        // One pass over the fields, because every request of the route
        // comes here: the last Authorization value, how many there are,
        // and whether one is a bearer token.
        var field: String?
        var count = 0
        var bearer = false
        for header in request.headers where header.name.equalsIgnoringASCIICase("Authorization") {
            field = header.value
            count += 1
            bearer = bearer || AuthorizationField.scheme(of: header.value, is: "Bearer")
        }
        guard bearer else { return .noCredential }
        guard count == 1, let field, let token = AuthorizationField.credentials(of: field) else {
            return .rejected(.invalidToken, detail: JWTRejection.malformed.rawValue)
        }
        switch await verifyCached(token) {
        case .failure(let rejection):
            return .rejected(rejection.reason, detail: rejection.rawValue)
        case .success(let (verified, consumer)):
            guard let consumer else {
                return .rejected(.invalidToken, detail: JWTRejection.unknownConsumer.rawValue)
            }
            var forwarded = request
            if configuration.hideCredentials {
                forwarded.headers.remove("Authorization")
            }
            return .authenticated(consumer.authenticated(by: .jwt, subject: verified.subject), request: forwarded)
        }
    }

    /// Verifies `token`, or returns it from the cache of verified tokens
    /// while its entry and the token itself are valid.
    public func verify(_ token: String) async -> Result<VerifiedToken, JWTRejection> {
        await verifyCached(Substring(token)).map(\.token)
    }

    /// Verifies `token` and finds its consumer, or returns both from the
    /// cache. The digest is taken from the token's bytes in place, so a
    /// cached token costs one SHA-256 and one lookup.
    private func verifyCached(_ token: Substring) async -> Result<(token: VerifiedToken, consumer: GatewayConsumer?), JWTRejection> {
        let now = clock.seconds()
        guard cache.isEnabled else {
            return await verifyWithKeys(String(token), now: now).map { (token: $0, consumer: consumer(of: $0)) }
        }
        let digest = SHA256Digest(of: token.utf8)
        if let cached = cache.value(for: digest, now: monotonicClock.now()), cached.validUntil.map({ now < $0 }) ?? true {
            return .success((token: cached.token, consumer: cached.consumer))
        }
        let result = await verifyWithKeys(String(token), now: now).map { (token: $0, consumer: consumer(of: $0)) }
        if case .success(let (verified, consumer)) = result {
            let expiration = verified.claims["exp"]?.numberValue
            let validUntil = expiration.map { $0 + verifier.claimsPolicy.clockSkew }
            cache.store(CachedToken(token: verified, consumer: consumer, validUntil: validUntil), for: digest, now: monotonicClock.now())
        }
        return result
    }

    private func consumer(of token: VerifiedToken) -> GatewayConsumer? {
        token.issuer.flatMap { consumers.consumer(issuer: $0, subject: token.subject) }
    }

    /// Verifies `token` against the current keys, and once more after a
    /// refresh of the remote set when its `kid` is unknown.
    private func verifyWithKeys(_ token: String, now: Double) async -> Result<VerifiedToken, JWTRejection> {
        var keys = localKeys
        if let remoteKeys {
            keys = keys.merged(with: await remoteKeys.currentKeys())
        }
        let result = verifier.verify(token, keys: keys, now: now)
        guard case .failure(.unknownKey) = result, let remoteKeys, let refreshed = await remoteKeys.refreshForUnknownKey() else {
            return result
        }
        return verifier.verify(token, keys: localKeys.merged(with: refreshed), now: now)
    }
}
