import IAMHTTP
import IAMModel
import StratusHTTP

/// Checks the access tokens of `/v1/authz`: JWTs a client signs itself with
/// one of its secrets, named by the header's `kid`.
struct AccessTokenVerifier: Sendable {
    let cache: AuthorizationCache
    let now: @Sendable () -> Timestamp

    /// Returns the owner of the token's secret.
    ///
    /// - Throws: `IAMError` 100205 for a missing or empty `Authorization`,
    ///   100202 for any rejected token, and 100203 when the secret expired.
    func owner(of request: Request) throws -> String {
        guard let header = request.headers["Authorization"], !header.isEmpty else {
            throw IAMError(.missingHeader, "Authorization is missing or empty")
        }
        let token = Self.bearerToken(header)
        let parsed: JSONWebToken
        do {
            parsed = try JSONWebToken.parse(token)
        } catch {
            throw IAMError(.signatureInvalid, "the access token does not parse: \(error)")
        }
        guard parsed.hmacAlgorithm != nil else {
            throw IAMError(.signatureInvalid, "the access token's alg is \(parsed.header["alg"].map { "\($0)" } ?? "missing"); expected HS256, HS384 or HS512")
        }
        guard let secretID = parsed.header["kid"]?.stringValue else {
            throw IAMError(.signatureInvalid, "the access token has no kid header naming a secret")
        }
        guard let secret = cache.secret(id: secretID) else {
            throw IAMError(.signatureInvalid, "no secret with id \"\(secretID)\"")
        }
        guard parsed.hasValidSignature(key: Array(secret.secretKey.utf8)) else {
            throw IAMError(.signatureInvalid, "the access token's signature does not match secret \"\(secretID)\"")
        }
        do {
            try parsed.checkTimeClaims(now: now())
        } catch {
            throw IAMError(.signatureInvalid, "the access token is not valid now: \(error)")
        }
        if secret.expires >= 1, now().unixSeconds > secret.expires {
            throw IAMError(.expired, "secret \"\(secretID)\" expired at \(secret.expires)")
        }
        return secret.username
    }

    /// Returns the first whitespace-free word after `Bearer `, or an empty token.
    static func bearerToken(_ header: String) -> Substring {
        let words = header.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 2, words[0] == "Bearer" else { return "" }
        return words[1]
    }
}
