/// Verifies signed tokens (JWS compact serialization carrying JWT claims)
/// against a key set: the pure evaluator of the `jwt` policy, without I/O.
///
/// It checks, in order:
/// 1. the length and the three base64url parts;
/// 2. a strict JSON header whose `alg` is in `algorithms` (`none` never
///    is) and without `crit`;
/// 3. a key of the algorithm's type with the token's `kid`, and the
///    signature;
/// 4. a strict JSON object as payload, and the claims under `claimsPolicy`.
///
/// Header parameters that point at keys (`jku`, `jwk`, `x5u`, `x5c`) are
/// ignored: keys come only from the gateway's configuration.
public struct JWTVerifier: Sendable {
    public let algorithms: Set<JWTAlgorithm>
    public let claimsPolicy: JWTClaimsPolicy
    /// The maximum token length accepted, in bytes.
    public let maxTokenLength: Int

    public init(algorithms: Set<JWTAlgorithm>, claimsPolicy: JWTClaimsPolicy, maxTokenLength: Int = 8192) {
        self.algorithms = algorithms
        self.claimsPolicy = claimsPolicy
        self.maxTokenLength = maxTokenLength
    }

    /// Verifies `token` at `now`, in seconds since the Unix epoch.
    public func verify(_ token: String, keys: JWTKeySet, now: Double) -> Result<VerifiedToken, JWTRejection> {
        Result { () throws(JWTRejection) in
            guard token.utf8.count <= maxTokenLength else { throw .tooLong }
            let jws = try CompactJWS(token)
            let (algorithm, keyID) = try readHeader(jws.header)
            let candidates = keys.candidates(keyID: keyID, algorithm: algorithm)
            guard !candidates.isEmpty else { throw .unknownKey }
            let verified = candidates.contains { key in
                key.verify(signature: jws.signature, signingInput: jws.signingInput, algorithm: algorithm)
            }
            guard verified else { throw .badSignature }
            guard let claims = try? StrictJSONParser.parse(jws.payload).objectValue else { throw .malformedClaims }
            if let rejection = claimsPolicy.check(claims, now: now) {
                throw rejection
            }
            return VerifiedToken(algorithm: algorithm, keyID: keyID, claims: claims)
        }
    }

    private func readHeader(_ header: [String: JSONValue]) throws(JWTRejection) -> (JWTAlgorithm, String?) {
        guard let name = header["alg"]?.stringValue else { throw .malformedHeader }
        guard let algorithm = JWTAlgorithm(rawValue: name), algorithms.contains(algorithm) else {
            throw .algorithmNotAllowed
        }
        // RFC 7515, section 4.1.11: a recipient that does not understand an
        // extension listed in crit must reject the token. None is supported.
        guard header["crit"] == nil else { throw .unsupportedCriticalHeader }
        let keyID = header["kid"]
        guard keyID == nil || keyID?.stringValue != nil else { throw .malformedHeader }
        return (algorithm, keyID?.stringValue)
    }
}

/// A token whose signature and claims passed verification.
public struct VerifiedToken: Sendable {
    public let algorithm: JWTAlgorithm
    public let keyID: String?
    let claims: [String: JSONValue]

    public var issuer: String? { claims["iss"]?.stringValue }
    public var subject: String? { claims["sub"]?.stringValue }

    /// Returns a string claim, or nil when it is absent or not a string.
    public func stringClaim(_ name: String) -> String? {
        claims[name]?.stringValue
    }
}
