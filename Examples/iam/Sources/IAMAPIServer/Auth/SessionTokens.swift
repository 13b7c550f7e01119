import Foundation
import IAMHTTP
import IAMModel
import StratusHTTP

/// Issues, checks and refreshes the session tokens of the API server: HS256
/// JWTs signed with the configured key, with the claims upstream's gin-jwt
/// writes (`aud`, `iss`, `sub`, `identity`, `exp`, `orig_iat`).
struct SessionTokens: Sendable {
    let key: [UInt8]
    let timeout: Int64
    let maxRefresh: Int64
    let realm: String
    let now: @Sendable () -> Timestamp

    static let audience = "iam.api.marmotedu.com"
    static let issuer = "iam-apiserver"
    static let cookieName = "jwt"

    init(settings: JWTSettings, now: @escaping @Sendable () -> Timestamp) {
        key = Array(settings.key.utf8)
        timeout = settings.timeout.components.seconds
        maxRefresh = settings.maxRefresh.components.seconds
        realm = settings.realm
        self.now = now
    }

    /// Issues a new token for `username` and returns it with its expiry.
    func issue(for username: String) -> (token: String, expire: Timestamp) {
        sign([
            "aud": .string(Self.audience), "iss": .string(Self.issuer),
            "sub": .string(username), "identity": .string(username),
        ])
    }

    /// Signs `claims` with fresh `exp` and `orig_iat`.
    private func sign(_ claims: [String: JSONValue]) -> (token: String, expire: Timestamp) {
        let issued = now().wholeSeconds
        let expire = issued.adding(seconds: timeout)
        var claims = claims
        claims["exp"] = .integer(expire.unixSeconds)
        claims["orig_iat"] = .integer(issued.unixSeconds)
        return (JSONWebToken.sign(claims: claims, key: key), expire)
    }

    /// Checks a Bearer token in gin-jwt's order and returns its `identity`.
    func identity(fromBearer token: Substring) throws(SessionError) -> String {
        let parsed = try verified(token, allowingExpired: false)
        guard let expiry = parsed.claims["exp"] else { throw failure(400, "missing exp field") }
        guard let seconds = expiry.numberValue else { throw failure(400, "exp must be float64 format") }
        guard seconds >= Double(now().unixSeconds) else { throw failure(401, "token is expired") }
        guard let identity = parsed.claims["identity"]?.stringValue else {
            throw failure(403, "you don't have permission to access this resource")
        }
        return identity
    }

    /// Issues a new token with the claims of `token`, which may have expired but
    /// must have been issued within the refresh window.
    func refresh(_ token: Substring) throws(SessionError) -> (token: String, expire: Timestamp) {
        let parsed = try verified(token, allowingExpired: true)
        let issued = parsed.claims["orig_iat"]?.numberValue ?? 0
        guard issued >= Double(now().unixSeconds - maxRefresh) else { throw failure(401, "token is expired") }
        return sign(parsed.claims)
    }

    /// Builds the response of login and refresh: the cookie and
    /// `{"expire","token"}`.
    func response(token: String, expire: Timestamp) -> Response {
        var response = IAMResponses.json(LoginResponse(expire: expire.rfc3339, token: token))
        response.headers.append("Set-Cookie", "\(Self.cookieName)=\(token); Path=/; Max-Age=\(timeout)")
        return response
    }

    func failure(_ status: Int, _ message: String) -> SessionError {
        SessionError(status: status, message: message, realm: realm)
    }

    private func verified(_ token: Substring, allowingExpired: Bool) throws(SessionError) -> JSONWebToken {
        let parsed: JSONWebToken
        do {
            parsed = try JSONWebToken.parse(token)
        } catch {
            throw failure(401, error.description)
        }
        guard parsed.header["alg"]?.stringValue == HMACAlgorithm.sha256.rawValue else {
            throw failure(401, JSONWebTokenError.invalidAlgorithm.description)
        }
        guard parsed.hasValidSignature(key: key) else {
            throw failure(401, JSONWebTokenError.invalidSignature.description)
        }
        do {
            try parsed.checkTimeClaims(now: now())
        } catch .expired where allowingExpired {
            // Refresh accepts an expired token; the refresh window decides.
        } catch {
            throw failure(401, error.description)
        }
        return parsed
    }
}
