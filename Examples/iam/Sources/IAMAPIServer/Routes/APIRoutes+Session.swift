import IAMHTTP
import IAMModel
import StratusHTTP

extension APIRoutes {
    func registerSessionRoutes(on router: Router) {
        router.post("/login") { request, _ in try await login(request) }
        router.post("/refresh") { request, _ in try refresh(request) }
        router.post("/logout") { _, _ in
            var response = IAMResponses.null()
            response.headers.append("Set-Cookie", "\(SessionTokens.cookieName)=; Path=/; Max-Age=0")
            return response
        }
    }

    /// Credentials come from a `Basic` header when the request has any
    /// `Authorization`, else from the JSON body, where the name and
    /// password rules apply. Every failure is the same 401.
    private func login(_ request: Request) async throws -> Response {
        let rejected = tokens.failure(401, SessionError.incorrectCredentials)
        let name: String
        let password: String
        if let header = request.headers["Authorization"] {
            guard header.hasPrefix("Basic "), let credentials = Authenticator.decodeBasic(header.dropFirst(6)) else { throw rejected }
            (name, password) = credentials
        } else {
            guard let body = try? await request.decodeJSON(LoginRequest.self),
                  FieldRules.checkName(body.username) == nil, PasswordRule.check(body.password) == nil
            else { throw rejected }
            (name, password) = (body.username, body.password)
        }
        guard let user = try await authenticator.storeUser(name), user.isEnabled, Bcrypt.verify(password, hash: user.passwordHash) else {
            throw rejected
        }
        try await authenticator.recordLogin(of: name)
        let (token, expire) = tokens.issue(for: name)
        return tokens.response(token: token, expire: expire)
    }

    /// Refreshes the token from `Authorization: Bearer`, else `?token=`,
    /// else the `jwt` cookie.
    private func refresh(_ request: Request) throws -> Response {
        guard let token = Self.sessionToken(in: request) else { throw tokens.failure(401, "cookie token is empty") }
        let (fresh, expire) = try tokens.refresh(token)
        return tokens.response(token: fresh, expire: expire)
    }

    static func sessionToken(in request: Request) -> Substring? {
        if let header = request.headers["Authorization"], header.hasPrefix("Bearer ") {
            let token = header.dropFirst(7).split(separator: " ").first ?? ""
            if !token.isEmpty { return token }
        }
        if let token = request.queryParameter("token"), !token.isEmpty {
            return Substring(token)
        }
        for cookies in request.headers.values(for: "Cookie") {
            for pair in cookies.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                if trimmed.hasPrefix("\(SessionTokens.cookieName)=") {
                    let value = trimmed.dropFirst(SessionTokens.cookieName.count + 1)
                    if !value.isEmpty { return value }
                }
            }
        }
        return nil
    }
}
