public import StratusHTTP

/// One authentication method: finds its credential in a request and
/// verifies it. Implementations are the pure evaluators of the key-auth,
/// Basic and JWT policies; `AuthenticationMiddleware` runs them.
public protocol Authenticator: Sendable {
    /// The method, for logs and `Authentication.method`.
    var method: Authentication.Method { get }

    /// Returns the `WWW-Authenticate` challenge sent with a 401 for `reason`.
    func challenge(for reason: PolicyFailureReason) -> String

    /// Looks for this method's credential in `request` and verifies it.
    /// May suspend, for example to hash a password off the event loop or
    /// to fetch a key set.
    func authenticate(_ request: Request, context: RequestContext) async -> AuthenticationResult
}

/// What an authenticator found.
public enum AuthenticationResult: Sendable {
    /// The request carries no credential of this method.
    case noCredential
    /// The credential is valid. `request` is what to forward upstream, with
    /// the credential removed when the policy hides credentials.
    case authenticated(GatewayConsumer, request: Request)
    /// The request carries a credential of this method that is invalid.
    /// `detail` gives the cause for the gateway's log, never for the client.
    case rejected(PolicyFailureReason, detail: String)
}

extension String {
    /// Returns `realm` as a quoted string for a challenge. Configuration
    /// checks keep quotes, backslashes and control characters out of it.
    static func quotedRealm(_ realm: String) -> String {
        "realm=\"\(realm)\""
    }
}

/// Checks of realms in configuration.
enum Realm {
    static func validate(_ realm: String, field: String = "realm") throws(PolicyConfigurationError) {
        let valid = realm.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        guard valid, (1...128).contains(realm.utf8.count) else {
            throw PolicyConfigurationError(field: field, value: realm, expected: "1 to 128 visible ASCII characters without quotes or backslashes")
        }
    }
}
