public import StratusHTTP

/// A request that a policy rejected, with the response the client gets.
///
/// The client sees only `reason` and a fixed message for it, never the
/// detail behind it (which claim failed, whether a key exists), so that a
/// caller cannot probe credentials. The detail goes to the gateway's log.
public struct PolicyFailure: Error, Sendable, Hashable {
    public var reason: PolicyFailureReason
    public var status: HTTPStatus
    /// The `WWW-Authenticate` challenges of a 401 response, one field each
    /// (RFC 9110, section 11.6.1, requires at least one on a 401).
    public var challenges: [String]

    public init(_ reason: PolicyFailureReason, status: HTTPStatus? = nil, challenges: [String] = []) {
        self.reason = reason
        self.status = status ?? reason.defaultStatus
        self.challenges = challenges
    }

    /// The response for the client: `status`, the challenges and a JSON
    /// body such as
    ///
    /// ```json
    /// {"error":{"code":"invalid_token","message":"the token is invalid"}}
    /// ```
    public var response: Response {
        // The code and the message are fixed ASCII without quotes or
        // backslashes, so they need no JSON escaping.
        let body = "{\"error\":{\"code\":\"\(reason.rawValue)\",\"message\":\"\(reason.message)\"}}\n"
        var headers: HTTPFields = ["Content-Type": "application/json", "Cache-Control": "no-store"]
        for challenge in challenges {
            headers.append("WWW-Authenticate", challenge)
        }
        return Response(status: status, headers: headers, body: OutgoingBody(string: body))
    }
}

/// The stable codes of `PolicyFailure`, the `error.code` of the JSON body.
///
/// The set is fixed and documented in docs/gateway-security.md. Clients
/// may branch on these codes; the messages may change.
public enum PolicyFailureReason: String, Sendable, Hashable, CaseIterable {
    /// The route requires authentication and the request carries no
    /// credential any of its methods accepts (401).
    case missingCredentials = "missing_credentials"
    /// An API key or a user name and password that no consumer has (401).
    case invalidCredentials = "invalid_credentials"
    /// A bearer token that is malformed, signed with an unknown key or a
    /// disallowed algorithm, badly signed, not yet valid, or for another
    /// issuer or audience (401; RFC 6750 `invalid_token`).
    case invalidToken = "invalid_token"
    /// A bearer token whose `exp` has passed, beyond the clock skew (401).
    /// It is a code of its own so that a client knows to fetch a new
    /// token. It reveals nothing about keys or other claims.
    case tokenExpired = "token_expired"
    /// The client's address is denied, or not allowed, or unknown because a
    /// trusted proxy sent a malformed forwarding header (403).
    case addressNotAllowed = "address_not_allowed"
    /// A CORS preflight request from an origin, or for a method or header,
    /// that the route does not allow (403).
    case corsRejected = "cors_rejected"
    /// The external authorization service denied the request (401 or 403,
    /// as the service responded).
    case accessDenied = "access_denied"
    /// The external authorization service failed, timed out or returned an
    /// unexpected status, and the route fails closed (403 by default).
    case authorizationUnavailable = "authorization_unavailable"

    /// The status used unless the policy sets another.
    public var defaultStatus: HTTPStatus {
        switch self {
        case .missingCredentials, .invalidCredentials, .invalidToken, .tokenExpired: .unauthorized
        case .addressNotAllowed, .corsRejected, .accessDenied, .authorizationUnavailable: .forbidden
        }
    }

    /// The fixed text of the JSON body's `message`.
    public var message: String {
        switch self {
        case .missingCredentials: "authentication is required"
        case .invalidCredentials: "the credentials are invalid"
        case .invalidToken: "the token is invalid"
        case .tokenExpired: "the token has expired"
        case .addressNotAllowed: "the client address is not allowed"
        case .corsRejected: "the cross-origin request is not allowed"
        case .accessDenied: "access is denied"
        case .authorizationUnavailable: "authorization is unavailable"
        }
    }
}
