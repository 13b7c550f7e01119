import Foundation
import IAMModel
import IAMStorage
import StratusHTTP

/// Authenticates callers of the protected routes from `Authorization`:
/// `Basic` credentials or a `Bearer` session token, chosen by the scheme
/// before the first space (case-sensitive).
struct Authenticator: Sendable {
    let store: any IAMStore
    let tokens: SessionTokens

    /// Returns the caller's username.
    ///
    /// - Throws: `IAMError` 100204 for a missing or malformed header,
    ///   100202 for rejected Basic credentials or an unknown scheme, and a
    ///   `SessionError` for a rejected Bearer token.
    func authenticate(_ request: Request) async throws -> String {
        guard let header = request.headers["Authorization"], let space = header.firstIndex(of: " ") else {
            throw IAMError(.invalidAuthHeader, "Authorization is missing or has no space between scheme and credentials")
        }
        let credentials = header[header.index(after: space)...]
        switch header[..<space] {
        case "Basic":
            return try await checkBasic(credentials)
        case "Bearer":
            let token = credentials.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true).first ?? ""
            return try tokens.identity(fromBearer: token)
        default:
            throw IAMError(.signatureInvalid, "unknown Authorization scheme \"\(header[..<space].prefix(20))\"; expected Basic or Bearer")
        }
    }

    /// Checks `base64(username:password)` against the stored bcrypt hash
    /// and records the login.
    func checkBasic(_ credentials: Substring) async throws -> String {
        guard let (name, password) = Self.decodeBasic(credentials) else {
            throw IAMError(.signatureInvalid, "Basic credentials are not base64 of username:password")
        }
        guard let user = try await storeUser(name), user.isEnabled, Bcrypt.verify(password, hash: user.passwordHash) else {
            throw IAMError(.signatureInvalid, "Basic credentials of \"\(name)\" rejected")
        }
        try await recordLogin(of: name)
        return name
    }

    static func decodeBasic(_ credentials: Substring) -> (String, String)? {
        guard let data = Data(base64Encoded: String(credentials)) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    func storeUser(_ name: String) async throws -> User? {
        do {
            return try await store.user(named: name)
        } catch {
            throw IAMError(.database, "reading user \"\(name)\" failed: \(error)")
        }
    }

    func recordLogin(of name: String) async throws {
        do {
            try await store.recordLogin(ofUser: name, at: tokens.now())
        } catch {
            throw IAMError(.database, "recording the login of \"\(name)\" failed: \(error)")
        }
    }
}
