import IAMHTTP
import IAMModel
import IAMStorage
import StratusHTTP

extension APIRoutes {
    func registerUserRoutes(on router: Router) {
        router.post("/v1/users") { request, _ in try await createUser(request) }
        protected(router, .get, "/v1/users") { request, _, caller in
            try await requireAdmin(caller)
            return IAMResponses.json(try await storage("listing users") { try await store.listUsers(try ListQuery(request: request)) })
        }
        protected(router, .delete, "/v1/users") { request, _, caller in
            try await requireAdmin(caller)
            _ = try await storage("deleting users") { try await store.deleteUsers(named: request.queryValues("name"), at: now) }
            return IAMResponses.null()
        }
        protected(router, .get, "/v1/users/:name") { request, context, caller in
            let name = request.pathParameter("name", in: context)
            try await requireSelfOrAdmin(caller, name)
            return IAMResponses.json(try await enabledUser(name))
        }
        protected(router, .put, "/v1/users/:name") { request, context, caller in
            try await updateUser(request.pathParameter("name", in: context), request, caller: caller)
        }
        protected(router, .delete, "/v1/users/:name") { request, context, caller in
            try await requireAdmin(caller)
            let name = request.pathParameter("name", in: context)
            _ = try await storage("deleting user \(name)") { try await store.deleteUsers(named: [name], at: now) }
            return IAMResponses.null()
        }
        for path in ["/v1/users/:name/change-password", "/v1/users/:name/change_password"] {
            protected(router, .put, path) { request, context, caller in
                try await changePassword(request.pathParameter("name", in: context), request, caller: caller)
            }
        }
    }

    /// Registration is open. `isAdmin` is honoured only for a caller whose
    /// credentials verify as an administrator. Credentials that fail to
    /// verify make the caller anonymous instead of causing a 401.
    private func createUser(_ request: Request) async throws -> Response {
        let input = try await request.decodeJSON(UserInput.self)
        let problem = FieldRules.checkName(input.metadata.name) ?? FieldRules.checkNickname(input.nickname)
            ?? FieldRules.checkEmail(input.email) ?? PasswordRule.check(input.password) ?? FieldRules.checkPhone(input.phone)
        if let problem { throw IAMError(.validation, problem) }
        let callerIsAdmin = await (try? authenticator.authenticate(request)).asyncMap { try? await isAdmin($0) } ?? false
        let time = now
        let user = User(
            metadata: ObjectMeta(name: input.metadata.name, extend: input.metadata.extend, createdAt: time, updatedAt: time),
            status: 1, nickname: input.nickname, passwordHash: Bcrypt.hash(input.password), email: input.email,
            phone: input.phone, isAdmin: callerIsAdmin && input.isAdmin == 1 ? 1 : 0, loginedAt: time
        )
        return IAMResponses.json(try await storage("creating user \(user.name)", duplicate: .userAlreadyExist) { try await store.createUser(user) })
    }

    /// Order: permission, decode, find, validate, store.
    private func updateUser(_ name: String, _ request: Request, caller: String) async throws -> Response {
        try await requireSelfOrAdmin(caller, name)
        let input = try await request.decodeJSON(UserInput.self)
        var user = try await enabledUser(name)
        user.nickname = input.nickname
        user.email = input.email
        user.phone = input.phone
        user.metadata.extend = input.metadata.extend
        if let problem = FieldRules.checkNickname(user.nickname) ?? FieldRules.checkEmail(user.email) ?? FieldRules.checkPhone(user.phone) {
            throw IAMError(.validation, problem)
        }
        guard let updated = try await storage("updating user \(name)", { try await store.updateUser(user, at: now) }) else {
            throw IAMError(.userNotFound, "user \"\(name)\" was deleted during the update")
        }
        return IAMResponses.json(updated)
    }

    /// Order: permission, decode (a new password that fails the rule is
    /// 100003), find, check the old password, store.
    private func changePassword(_ name: String, _ request: Request, caller: String) async throws -> Response {
        try await requireSelfOrAdmin(caller, name)
        let body = try await request.decodeJSON(ChangePasswordRequest.self)
        if let problem = PasswordRule.check(body.newPassword) { throw IAMError(.bind, "newPassword: \(problem)") }
        let user = try await enabledUser(name)
        guard Bcrypt.verify(body.oldPassword, hash: user.passwordHash) else {
            throw IAMError(.passwordIncorrect, "the old password of \"\(name)\" does not match")
        }
        let hash = Bcrypt.hash(body.newPassword)
        guard try await storage("changing the password of \(name)", { try await store.setPasswordHash(hash, forUser: name, at: now) }) else {
            throw IAMError(.userNotFound, "user \"\(name)\" was deleted during the password change")
        }
        return IAMResponses.null()
    }

    /// Returns the user of that name with `status` 1, else throws 110001.
    func enabledUser(_ name: String) async throws -> User {
        guard let user = try await storage("reading user \(name)", { try await store.user(named: name) }), user.isEnabled else {
            throw IAMError(.userNotFound, "no enabled user named \"\(name)\"")
        }
        return user
    }

    /// Returns whether `caller` is an administrator. A caller whose record
    /// cannot be found counts as a non-admin.
    func isAdmin(_ caller: String) async throws -> Bool {
        try await storage("reading user \(caller)") { try await store.user(named: caller) }?.isAdministrator ?? false
    }

    func requireAdmin(_ caller: String) async throws {
        guard try await isAdmin(caller) else { throw IAMError(.permissionDenied, "\"\(caller)\" is not an administrator") }
    }

    func requireSelfOrAdmin(_ caller: String, _ name: String) async throws {
        guard caller == name else { return try await requireAdmin(caller) }
    }
}

extension Optional {
    /// Maps the wrapped value with an async transform.
    func asyncMap<Mapped>(_ transform: (Wrapped) async -> Mapped?) async -> Mapped? {
        guard let value = self else { return nil }
        return await transform(value)
    }
}
