import IAMHTTP
import IAMModel
import IAMStorage
import StratusHTTP

extension APIRoutes {
    /// Registers the endpoints that authorization servers load and follow
    /// secrets and policies from. They require the shared token in
    /// `X-IAM-Internal-Token` and return 404 while none is configured.
    func registerInternalRoutes(on router: Router) {
        router.get("/internal/v1/authorization-snapshot") { request, _ in
            try checkInternalToken(request)
            return IAMResponses.json(try await storage("reading the authorization snapshot") { try await snapshot() })
        }
        router.get("/internal/v1/changes") { request, _ in
            try checkInternalToken(request)
            let after = Int64(request.queryParameter("after") ?? "") ?? 0
            let wait = Duration.milliseconds(Int64(request.queryParameter("waitMs") ?? "") ?? 0)
            return IAMResponses.json(try await storage("reading changes") { try await changes.changes(after: after, waiting: wait) })
        }
    }

    /// Reads the revision before the data, so every change missing from the
    /// data has a higher revision and reaches the caller through the feed.
    private func snapshot() async throws -> AuthorizationSnapshot {
        let revision = try await store.latestRevision()
        let secrets = try await store.allSecrets().map {
            SecretEntry(secretID: $0.secretID, username: $0.username, secretKey: $0.secretKey, expires: $0.expires)
        }
        let policies = try await store.allPolicies().map { PolicyEntry(username: $0.username, name: $0.name, policy: $0.policy) }
        return AuthorizationSnapshot(revision: revision, secrets: secrets, policies: policies)
    }

    private func checkInternalToken(_ request: Request) throws {
        let expected = settings.internalAPI.token
        guard !expected.isEmpty else { throw IAMError(.pageNotFound, "internal endpoints are off: internal.token is not set") }
        let presented = request.headers[internalTokenHeader] ?? ""
        guard constantTimeEquals(Array(presented.utf8), Array(expected.utf8)) else {
            throw IAMError(.signatureInvalid, "the internal token is missing or wrong")
        }
    }
}
