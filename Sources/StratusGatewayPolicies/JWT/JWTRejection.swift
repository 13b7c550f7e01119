/// Why a token failed verification: the detail for the gateway's log. The
/// client sees only `reason`.
public enum JWTRejection: String, Error, Sendable, Hashable, CaseIterable {
    case tooLong = "too_long"
    case malformed
    case malformedHeader = "malformed_header"
    case algorithmNotAllowed = "algorithm_not_allowed"
    case unsupportedCriticalHeader = "unsupported_crit"
    case unknownKey = "unknown_key"
    case badSignature = "bad_signature"
    case malformedClaims = "malformed_claims"
    case missingExpiration = "missing_exp"
    case expired
    case notYetValid = "not_yet_valid"
    case issuedInFuture = "issued_in_future"
    case wrongIssuer = "wrong_issuer"
    case wrongAudience = "wrong_audience"
    case unknownConsumer = "unknown_consumer"

    /// The reason sent to the client: `token_expired` for an expired token,
    /// `invalid_token` for everything else.
    public var reason: PolicyFailureReason {
        self == .expired ? .tokenExpired : .invalidToken
    }
}
