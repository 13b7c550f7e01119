public import IAMModel

extension SQLIAMStore: UserStore {
    private static let selectUser = "SELECT \(RowCoding.userColumns), (SELECT count(*) FROM policies p WHERE p.username = u.name) FROM users u"

    public func createUser(_ user: User) async throws -> User {
        let rows = try await run { connection in
            do {
                return try connection.query(
                    """
                    INSERT INTO users (name, status, nickname, password, email, phone, is_admin, extend, logined_at, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING \(RowCoding.userColumns)
                    """,
                    [
                        .text(user.name), .integer(Int64(user.status)), .text(user.nickname), .text(user.passwordHash),
                        .text(user.email), .text(user.phone), .integer(Int64(user.isAdmin)), RowCoding.json(user.metadata.extend),
                        .integer(user.loginedAt.microseconds), .integer(user.metadata.createdAt.microseconds),
                        .integer(user.metadata.updatedAt.microseconds),
                    ]
                )
            } catch let error as SQLError where error.kind == .uniqueViolation {
                throw StorageError(.duplicate, "a user named \"\(user.name)\" already exists")
            }
        }
        return RowCoding.user(rows[0])
    }

    public func user(named name: String) async throws -> User? {
        try await run { connection in
            try connection.query(Self.selectUser + " WHERE u.name = $1", [.text(name)]).first.map(RowCoding.user)
        }
    }

    public func updateUser(_ user: User, at time: Timestamp) async throws -> User? {
        try await run { connection in
            let updated = try connection.query(
                "UPDATE users SET nickname = $1, email = $2, phone = $3, extend = $4, updated_at = $5 WHERE name = $6 RETURNING id",
                [.text(user.nickname), .text(user.email), .text(user.phone), RowCoding.json(user.metadata.extend), .integer(time.microseconds), .text(user.name)]
            )
            guard !updated.isEmpty else { return nil }
            return try connection.query(Self.selectUser + " WHERE u.name = $1", [.text(user.name)]).first.map(RowCoding.user)
        }
    }

    public func setPasswordHash(_ hash: String, forUser name: String, at time: Timestamp) async throws -> Bool {
        try await run { connection in
            try !connection.query(
                "UPDATE users SET password = $1, updated_at = $2 WHERE name = $3 RETURNING id",
                [.text(hash), .integer(time.microseconds), .text(name)]
            ).isEmpty
        }
    }

    public func recordLogin(ofUser name: String, at time: Timestamp) async throws {
        _ = try await run { connection in
            try connection.query("UPDATE users SET logined_at = $1 WHERE name = $2", [.integer(time.microseconds), .text(name)])
        }
    }

    public func listUsers(_ query: ListQuery) async throws -> ResourceList<User> {
        try await run { connection in
            let (filter, parameters) = Self.nameFilter(query, dialect: connection.dialect, first: 1)
            let total = try connection.query("SELECT count(*) FROM users u WHERE u.status = 1" + filter, parameters)[0].integer(0)
            let (limit, offset) = RowCoding.page(query)
            let next = parameters.count + 1
            let rows = try connection.query(
                Self.selectUser + " WHERE u.status = 1" + filter + " ORDER BY u.id DESC LIMIT $\(next) OFFSET $\(next + 1)",
                parameters + [limit, offset]
            )
            return ResourceList(totalCount: total, items: rows.map(RowCoding.user))
        }
    }

    public func deleteUsers(named names: [String], at time: Timestamp) async throws -> [String] {
        try await transaction { connection in
            var deleted: [String] = []
            for name in names where !deleted.contains(name) {
                guard try !connection.query("DELETE FROM users WHERE name = $1 RETURNING id", [.text(name)]).isEmpty else { continue }
                deleted.append(name)
                let secretRows = try connection.query("DELETE FROM secrets WHERE username = $1 RETURNING name, secret_id", [.text(name)])
                let policyNames = try Self.archiveAndDeletePolicies(connection, owner: name, names: nil, at: time)
                try Self.appendChange(connection, ChangeEvent(
                    kind: .secretChanged, operation: .delete, owner: name,
                    names: secretRows.map { $0.text(0) }, secretIDs: secretRows.map { $0.text(1) }, timestamp: time
                ))
                try Self.appendChange(connection, ChangeEvent(kind: .policyChanged, operation: .delete, owner: name, names: policyNames, timestamp: time))
            }
            return deleted
        }
    }

    public func disableUsers(lastLoginBefore time: Timestamp, at now: Timestamp) async throws -> Int {
        try await run { connection in
            try connection.query(
                "UPDATE users SET status = 0, updated_at = $1 WHERE status = 1 AND logined_at < $2 RETURNING id",
                [.integer(now.microseconds), .integer(time.microseconds)]
            ).count
        }
    }

    /// Returns the ` AND …` clause that keeps names containing the query's text, and
    /// its parameter, numbered from `first`.
    static func nameFilter(_ query: ListQuery, dialect: SQLDialect, first: Int, column: String = "name") -> (String, [SQLValue]) {
        guard let text = query.nameContains, !text.isEmpty else { return ("", []) }
        return (" AND \(dialect.positionFunction)(\(column), $\(first)) > 0", [.text(text)])
    }
}
