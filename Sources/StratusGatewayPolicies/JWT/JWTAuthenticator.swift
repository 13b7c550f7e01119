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
public final class JWTAuthenticator: Authenticator {
    public let configuration: JWTConfiguration
    public let verifier: JWTVerifier
    /// The remote key set, when the configuration has `jwksURL`.
    public let remoteKeys: RemoteJWKSet?
    private let localKeys: JWTKeySet
    private let consumers: ConsumerRegistry
    private let clock: WallClock

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
        let fields = request.headers.values(for: "Authorization")
        guard fields.contains(where: { AuthorizationField.scheme(of: $0, is: "Bearer") }) else { return .noCredential }
        guard fields.count == 1, let field = fields.first, let token = AuthorizationField.credentials(of: field) else {
            return .rejected(.invalidToken, detail: JWTRejection.malformed.rawValue)
        }
        switch await verify(String(token)) {
        case .failure(let rejection):
            return .rejected(rejection.reason, detail: rejection.rawValue)
        case .success(let verified):
            guard let issuer = verified.issuer, let consumer = consumers.consumer(issuer: issuer, subject: verified.subject) else {
                return .rejected(.invalidToken, detail: JWTRejection.unknownConsumer.rawValue)
            }
            var forwarded = request
            if configuration.hideCredentials {
                forwarded.headers.remove("Authorization")
            }
            return .authenticated(consumer.authenticated(by: .jwt, subject: verified.subject), request: forwarded)
        }
    }

    /// Verifies `token` against the current keys, and once more after a
    /// refresh of the remote set when its `kid` is unknown.
    public func verify(_ token: String) async -> Result<VerifiedToken, JWTRejection> {
        let now = clock.seconds()
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
