/// The registered claims a token must satisfy (RFC 7519, section 4.1).
///
/// - `exp`: the time must be before `exp` + `clockSkew`; required unless
///   `requiresExpiration` is false.
/// - `nbf`: the time must be at or after `nbf` − `clockSkew`.
/// - `iat`: must not be more than `clockSkew` in the future, because a
///   token issued later than now comes from a wrong clock or issuer.
/// - `iss`: one of `issuers`, compared exactly; unchecked when empty.
/// - `aud`: a string or an array of strings, one of which is in
///   `audiences`; unchecked when `audiences` is empty.
///
/// A registered claim of the wrong JSON type makes the claims malformed.
public struct JWTClaimsPolicy: Sendable, Hashable {
    public var issuers: [String]
    public var audiences: [String]
    /// The clock difference tolerated between issuer and gateway, in seconds.
    public var clockSkew: Double
    public var requiresExpiration: Bool

    public init(issuers: [String] = [], audiences: [String] = [], clockSkew: Double = 30, requiresExpiration: Bool = true) {
        self.issuers = issuers
        self.audiences = audiences
        self.clockSkew = clockSkew
        self.requiresExpiration = requiresExpiration
    }

    /// Returns why `claims` fail at `now` (seconds since the Unix epoch),
    /// or nil when they pass.
    func check(_ claims: [String: JSONValue], now: Double) -> JWTRejection? {
        do {
            try checkTimes(claims, now: now)
            try checkIssuer(claims)
            try checkAudience(claims)
            if let subject = claims["sub"], subject.stringValue == nil {
                return .malformedClaims
            }
            return nil
        } catch {
            return error
        }
    }

    private func checkTimes(_ claims: [String: JSONValue], now: Double) throws(JWTRejection) {
        if let expiration = try numericDate(claims, "exp") {
            guard now < expiration + clockSkew else { throw .expired }
        } else if requiresExpiration {
            throw .missingExpiration
        }
        if let notBefore = try numericDate(claims, "nbf"), now + clockSkew < notBefore {
            throw .notYetValid
        }
        if let issuedAt = try numericDate(claims, "iat"), issuedAt > now + clockSkew {
            throw .issuedInFuture
        }
    }

    private func checkIssuer(_ claims: [String: JSONValue]) throws(JWTRejection) {
        guard let value = claims["iss"] else {
            if !issuers.isEmpty { throw .wrongIssuer }
            return
        }
        guard let issuer = value.stringValue else { throw .malformedClaims }
        if !issuers.isEmpty, !issuers.contains(issuer) {
            throw .wrongIssuer
        }
    }

    private func checkAudience(_ claims: [String: JSONValue]) throws(JWTRejection) {
        let audience: [String]
        switch claims["aud"] {
        case nil:
            audience = []
        case .string(let single)?:
            audience = [single]
        case .array(let list)?:
            audience = try list.map { (element: JSONValue) throws(JWTRejection) -> String in
                guard let text = element.stringValue else { throw .malformedClaims }
                return text
            }
        default:
            throw .malformedClaims
        }
        if !audiences.isEmpty, !audience.contains(where: audiences.contains) {
            throw .wrongAudience
        }
    }

    /// Returns a NumericDate claim (seconds since the epoch, possibly
    /// fractional), nil when absent.
    private func numericDate(_ claims: [String: JSONValue], _ name: String) throws(JWTRejection) -> Double? {
        guard let value = claims[name] else { return nil }
        guard let number = value.numberValue else { throw .malformedClaims }
        return number
    }
}
