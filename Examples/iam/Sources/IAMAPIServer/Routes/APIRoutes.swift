import IAMHTTP
import IAMModel
import IAMStorage
import StratusHTTP

/// The API server's routes and what they share.
struct APIRoutes: Sendable {
    let store: any IAMStore
    let tokens: SessionTokens
    let authenticator: Authenticator
    let settings: APIServerSettings
    let changes: ChangeFeed
    let version: String

    var now: Timestamp { tokens.now() }

    /// A handler of a protected route, with the caller's username.
    typealias ProtectedHandler = @Sendable (Request, RequestContext, String) async throws -> Response

    /// Registers every route. Routes other than login, logout, refresh,
    /// user registration and `/version` authenticate their caller first.
    func register(on router: Router) {
        router.add(middleware: IAMMiddleware())
        router.add(middleware: UnmatchedRouteMiddleware(authenticator: authenticator))
        router.get("/version") { _, _ in IAMResponses.json(VersionInfo(version: version)) }
        registerSessionRoutes(on: router)
        registerUserRoutes(on: router)
        registerSecretRoutes(on: router)
        registerPolicyRoutes(on: router)
        registerInternalRoutes(on: router)
    }

    func protected(_ router: Router, _ method: HTTPMethod, _ path: String, _ handler: @escaping ProtectedHandler) {
        let authenticator = authenticator
        router.on(path, method: method) { request, context in
            let caller = try await authenticator.authenticate(request)
            return try await handler(request, context, caller)
        }
    }

    /// Runs a storage call, mapping its failures to IAM codes: a duplicate
    /// to `duplicate` when given, a reached limit to 110101, anything else
    /// to 100101.
    @discardableResult
    func storage<Result>(_ operation: String, duplicate: IAMCode? = nil, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as StorageError {
            switch error.code {
            case .duplicate: throw IAMError(duplicate ?? .database, "\(operation): \(error.message)")
            case .limitReached: throw IAMError(.reachMaxCount, "\(operation): \(error.message)")
            case .unavailable: throw IAMError(.database, "\(operation): \(error.message)")
            }
        }
    }
}

/// Handles requests that match no route. A path with a trailing slash is
/// redirected to the path without it (301 for GET, 307 otherwise), as
/// upstream's router does. Any other request is authenticated first and
/// then gets 404 with code 100006, also for a wrong method on a known path.
struct UnmatchedRouteMiddleware: RouterMiddleware {
    let authenticator: Authenticator

    func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        guard context.route == nil else { return try await next(request, context) }
        let path = request.path
        if path.count > 1, path.hasSuffix("/") {
            var target = String(path.dropLast())
            if let query = request.query { target += "?" + query }
            var response = IAMResponses.json(["message": "moved to \(target)"], status: request.method == .get ? .movedPermanently : .temporaryRedirect)
            response.headers.set("Location", target)
            return response
        }
        _ = try await authenticator.authenticate(request)
        throw IAMError(.pageNotFound, "no route for \(request.method) \(path)")
    }
}
