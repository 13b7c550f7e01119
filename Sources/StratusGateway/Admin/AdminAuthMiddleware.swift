import StratusHTTP

/// Requires `Authorization: Bearer <token>` on every admin route except
/// the public ones (health, readiness, the OpenAPI document). Tokens are
/// compared in constant time, so the time taken reveals nothing about
/// how much of a guess was right.
struct AdminAuthMiddleware: RouterMiddleware {
    /// Nil serves every route without a token (`--admin-insecure`).
    let token: [UInt8]?
    static let publicPaths: Set<String> = ["/healthz", "/readyz", "/openapi.json"]

    func handle(_ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response) async throws -> Response {
        guard let token, !Self.publicPaths.contains(String(request.path)) else {
            return try await next(request, context)
        }
        let presented = request.headers["Authorization"].flatMap { value -> [UInt8]? in
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].caseInsensitiveEquals("Bearer") else { return nil }
            return Array(parts[1].trimmingASCIISpacesAndTabs().utf8)
        }
        guard let presented, Self.constantTimeEquals(presented, token) else {
            return GatewayErrorResponse.make(
                .unauthorized, reason: "unauthorized",
                message: "the admin API needs Authorization: Bearer <token>, with the token given to stratus gateway",
                headers: ["WWW-Authenticate": "Bearer realm=\"stratus-gateway-admin\""]
            )
        }
        return try await next(request, context)
    }

    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: lhs.count ^ rhs.count)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
