import Foundation
import IAMHTTP
import IAMModel
import StratusHTTP

/// The authorization server's routes: `POST /v1/authz`, and a 404 with code
/// 100006 for anything else once the caller's access token checks out.
struct AuthzRoutes: Sendable {
    let cache: AuthorizationCache
    let verifier: AccessTokenVerifier
    let audit: AuditBuffer
    let instanceID: String
    let version: String
    private let warden = Warden()

    init(cache: AuthorizationCache, verifier: AccessTokenVerifier, audit: AuditBuffer, instanceID: String, version: String) {
        self.cache = cache
        self.verifier = verifier
        self.audit = audit
        self.instanceID = instanceID
        self.version = version
    }

    func register(on router: Router) {
        router.add(middleware: IAMMiddleware())
        router.add(middleware: UnmatchedAuthzMiddleware(verifier: verifier))
        router.get("/version") { _, _ in IAMResponses.json(VersionInfo(version: version)) }
        router.post("/v1/authz") { request, context in try await authorize(request, context: context) }
    }

    /// Decides the request against the token owner's policies, with the
    /// owner set as `context.username`, and queues the audit record.
    private func authorize(_ request: Request, context: RequestContext) async throws -> Response {
        let owner = try verifier.owner(of: request)
        var body = try await request.decodeJSON(AuthzRequest.self)
        body.context["username"] = .string(owner)
        let policies = cache.policies(of: owner)
        let decision = warden.decide(body, policies: policies)
        if decision.isAudited {
            audit.append(AuditRecord(
                id: UUID().uuidString.lowercased(), decision: decision, request: body, policies: policies,
                now: verifier.now(), requestID: context.requestID, instance: instanceID
            ))
        }
        return IAMResponses.json(decision.response)
    }
}

struct UnmatchedAuthzMiddleware: RouterMiddleware {
    let verifier: AccessTokenVerifier

    func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        guard context.route == nil else { return try await next(request, context) }
        _ = try verifier.owner(of: request)
        throw IAMError(.pageNotFound, "no route for \(request.method) \(request.path)")
    }
}
