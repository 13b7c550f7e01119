import IAMHTTP
import IAMModel
import IAMStorage
import StratusHTTP

extension APIRoutes {
    func registerSecretRoutes(on router: Router) {
        protected(router, .post, "/v1/secrets") { request, _, caller in try await createSecret(request, owner: caller) }
        protected(router, .get, "/v1/secrets") { request, _, caller in
            IAMResponses.json(try await storage("listing secrets") { try await store.listSecrets(owner: caller, try ListQuery(request: request)) })
        }
        protected(router, .get, "/v1/secrets/:name") { request, context, caller in
            IAMResponses.json(try await ownedSecret(request.pathParameter("name", in: context), owner: caller))
        }
        protected(router, .put, "/v1/secrets/:name") { request, context, caller in
            try await updateSecret(request.pathParameter("name", in: context), request, owner: caller)
        }
        protected(router, .delete, "/v1/secrets/:name") { request, context, caller in
            let name = request.pathParameter("name", in: context)
            try await storage("deleting secret \(name)") { try await store.deleteSecrets(owner: caller, names: [name], at: now) }
            return IAMResponses.null()
        }
    }

    /// Order: decode, validate, the per-user limit (110101), the name
    /// (110103), then a fresh `secretID` and `secretKey`.
    private func createSecret(_ request: Request, owner: String) async throws -> Response {
        let input = try await request.decodeJSON(SecretInput.self)
        let problem = FieldRules.checkName(input.metadata.name) ?? FieldRules.checkDescription(input.description) ?? FieldRules.checkExpires(input.expires)
        if let problem { throw IAMError(.validation, problem) }
        let time = now
        let secret = Secret(
            metadata: ObjectMeta(name: input.metadata.name, extend: input.metadata.extend, createdAt: time, updatedAt: time),
            username: owner, secretID: SecretGenerator.makeSecretID(), secretKey: SecretGenerator.makeSecretKey(),
            expires: input.expires, description: input.description
        )
        let stored = try await storage("creating secret \(secret.name)", duplicate: .secretAlreadyExist) {
            try await store.createSecret(secret, maxPerOwner: settings.limits.maxSecretsPerUser)
        }
        return IAMResponses.json(stored)
    }

    /// Replaces `expires`, `description` and `extend`. A missing secret is
    /// 110102, where upstream returns 500 with 100101.
    private func updateSecret(_ name: String, _ request: Request, owner: String) async throws -> Response {
        let input = try await request.decodeJSON(SecretInput.self)
        _ = try await ownedSecret(name, owner: owner)
        if let problem = FieldRules.checkDescription(input.description) ?? FieldRules.checkExpires(input.expires) {
            throw IAMError(.validation, problem)
        }
        let updated = try await storage("updating secret \(name)") {
            try await store.updateSecret(owner: owner, name: name, expires: input.expires, description: input.description, extend: input.metadata.extend, at: now)
        }
        guard let updated else { throw IAMError(.secretNotFound, "secret \"\(name)\" of \"\(owner)\" was deleted during the update") }
        return IAMResponses.json(updated)
    }

    private func ownedSecret(_ name: String, owner: String) async throws -> Secret {
        guard let secret = try await storage("reading secret \(name)", { try await store.secret(owner: owner, name: name) }) else {
            throw IAMError(.secretNotFound, "\"\(owner)\" has no secret named \"\(name)\"")
        }
        return secret
    }
}
