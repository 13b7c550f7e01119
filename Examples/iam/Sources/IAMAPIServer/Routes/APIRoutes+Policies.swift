import IAMHTTP
import IAMModel
import IAMStorage
import StratusHTTP

extension APIRoutes {
    func registerPolicyRoutes(on router: Router) {
        protected(router, .post, "/v1/policies") { request, _, caller in try await createPolicy(request, owner: caller) }
        protected(router, .get, "/v1/policies") { request, _, caller in
            IAMResponses.json(try await storage("listing policies") { try await store.listPolicies(owner: caller, try ListQuery(request: request)) })
        }
        protected(router, .delete, "/v1/policies") { request, _, caller in
            try await deletePolicies(request.queryValues("name"), owner: caller)
        }
        protected(router, .get, "/v1/policies/:name") { request, context, caller in
            IAMResponses.json(try await ownedPolicy(request.pathParameter("name", in: context), owner: caller))
        }
        protected(router, .put, "/v1/policies/:name") { request, context, caller in
            try await updatePolicy(request.pathParameter("name", in: context), request, owner: caller)
        }
        protected(router, .delete, "/v1/policies/:name") { request, context, caller in
            try await deletePolicies([request.pathParameter("name", in: context)], owner: caller)
        }
    }

    /// Order: decode (unknown condition types and bad `meta` are 100003),
    /// validate the name, check it is free (110202). Patterns are not
    /// checked: a broken one is stored and denies at decision time.
    private func createPolicy(_ request: Request, owner: String) async throws -> Response {
        let input = try await request.decodeJSON(PolicyInput.self)
        if let problem = FieldRules.checkName(input.metadata.name) { throw IAMError(.validation, problem) }
        let time = now
        let policy = Policy(
            metadata: ObjectMeta(name: input.metadata.name, extend: input.metadata.extend, createdAt: time, updatedAt: time),
            username: owner, policy: input.policy
        )
        let stored = try await storage("creating policy \(policy.name)", duplicate: .policyAlreadyExist) { try await store.createPolicy(policy) }
        return IAMResponses.json(stored)
    }

    /// Replaces the rule and `extend`; `policy.id` becomes the name.
    private func updatePolicy(_ name: String, _ request: Request, owner: String) async throws -> Response {
        let input = try await request.decodeJSON(PolicyInput.self)
        _ = try await ownedPolicy(name, owner: owner)
        let updated = try await storage("updating policy \(name)") {
            try await store.updatePolicy(owner: owner, name: name, rule: input.policy, extend: input.metadata.extend, at: now)
        }
        guard let updated else { throw IAMError(.policyNotFound, "policy \"\(name)\" of \"\(owner)\" was deleted during the update") }
        return IAMResponses.json(updated)
    }

    private func deletePolicies(_ names: [String], owner: String) async throws -> Response {
        try await storage("deleting policies") { try await store.deletePolicies(owner: owner, names: names, at: now) }
        return IAMResponses.null()
    }

    private func ownedPolicy(_ name: String, owner: String) async throws -> Policy {
        guard let policy = try await storage("reading policy \(name)", { try await store.policy(owner: owner, name: name) }) else {
            throw IAMError(.policyNotFound, "\"\(owner)\" has no policy named \"\(name)\"")
        }
        return policy
    }
}
