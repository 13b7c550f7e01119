public import IAMModel

extension SQLIAMStore: SecretStore {
    private static let selectSecret = "SELECT \(RowCoding.secretColumns) FROM secrets"

    public func createSecret(_ secret: Secret, maxPerOwner: Int) async throws -> Secret {
        try await transaction { connection in
            if let lock = connection.dialect.ownerLock {
                try connection.query(lock, [.text(secret.username)])
            }
            let count = try connection.query("SELECT count(*) FROM secrets WHERE username = $1", [.text(secret.username)])[0].integer(0)
            guard count < maxPerOwner else {
                throw StorageError(.limitReached, "\"\(secret.username)\" already has \(count) secrets; at most \(maxPerOwner) are allowed")
            }
            let rows: [SQLRow]
            do {
                rows = try connection.query(
                    """
                    INSERT INTO secrets (username, name, secret_id, secret_key, expires, description, extend, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING \(RowCoding.secretColumns)
                    """,
                    [
                        .text(secret.username), .text(secret.name), .text(secret.secretID), .text(secret.secretKey),
                        .integer(secret.expires), .text(secret.description), RowCoding.json(secret.metadata.extend),
                        .integer(secret.metadata.createdAt.microseconds), .integer(secret.metadata.updatedAt.microseconds),
                    ]
                )
            } catch let error as SQLError where error.kind == .uniqueViolation {
                throw StorageError(.duplicate, "\"\(secret.username)\" already has a secret named \"\(secret.name)\"")
            }
            try Self.appendChange(connection, ChangeEvent(
                kind: .secretChanged, operation: .create, owner: secret.username, names: [secret.name],
                secretIDs: [secret.secretID], timestamp: secret.metadata.createdAt
            ))
            return RowCoding.secret(rows[0])
        }
    }

    public func secret(owner: String, name: String) async throws -> Secret? {
        try await run { connection in
            try connection.query(Self.selectSecret + " WHERE username = $1 AND name = $2", [.text(owner), .text(name)]).first.map(RowCoding.secret)
        }
    }

    public func updateSecret(
        owner: String, name: String, expires: Int64, description: String, extend: [String: JSONValue], at time: Timestamp
    ) async throws -> Secret? {
        try await transaction { connection in
            let rows = try connection.query(
                """
                UPDATE secrets SET expires = $1, description = $2, extend = $3, updated_at = $4
                WHERE username = $5 AND name = $6 RETURNING \(RowCoding.secretColumns)
                """,
                [.integer(expires), .text(description), RowCoding.json(extend), .integer(time.microseconds), .text(owner), .text(name)]
            )
            guard let row = rows.first else { return nil }
            let secret = RowCoding.secret(row)
            try Self.appendChange(connection, ChangeEvent(
                kind: .secretChanged, operation: .update, owner: owner, names: [name], secretIDs: [secret.secretID], timestamp: time
            ))
            return secret
        }
    }

    @discardableResult
    public func deleteSecrets(owner: String, names: [String], at time: Timestamp) async throws -> Int {
        try await transaction { connection in
            var deletedIDs: [String] = []
            for name in names {
                let rows = try connection.query("DELETE FROM secrets WHERE username = $1 AND name = $2 RETURNING secret_id", [.text(owner), .text(name)])
                deletedIDs += rows.map { $0.text(0) }
            }
            try Self.appendChange(connection, ChangeEvent(
                kind: .secretChanged, operation: .delete, owner: owner, names: names, secretIDs: deletedIDs, timestamp: time
            ))
            return deletedIDs.count
        }
    }

    public func listSecrets(owner: String, _ query: ListQuery) async throws -> ResourceList<Secret> {
        try await run { connection in
            let (filter, parameters) = Self.nameFilter(query, dialect: connection.dialect, first: 2)
            let scope = " WHERE username = $1" + filter
            let total = try connection.query("SELECT count(*) FROM secrets" + scope, [.text(owner)] + parameters)[0].integer(0)
            let (limit, offset) = RowCoding.page(query)
            let next = parameters.count + 2
            let rows = try connection.query(
                Self.selectSecret + scope + " ORDER BY id DESC LIMIT $\(next) OFFSET $\(next + 1)",
                [.text(owner)] + parameters + [limit, offset]
            )
            return ResourceList(totalCount: total, items: rows.map(RowCoding.secret))
        }
    }

    public func allSecrets() async throws -> [Secret] {
        try await run { connection in
            try connection.query(Self.selectSecret + " ORDER BY id DESC", []).map(RowCoding.secret)
        }
    }

    public func deleteSecrets(expiredBefore unixSeconds: Int64, at time: Timestamp) async throws -> Int {
        try await transaction { connection in
            let rows = try connection.query(
                "DELETE FROM secrets WHERE expires >= 1 AND expires < $1 RETURNING username, name, secret_id",
                [.integer(unixSeconds)]
            )
            let owners = Dictionary(grouping: rows) { $0.text(0) }
            for (owner, ownerRows) in owners.sorted(by: { $0.key < $1.key }) {
                try Self.appendChange(connection, ChangeEvent(
                    kind: .secretChanged, operation: .delete, owner: owner,
                    names: ownerRows.map { $0.text(1) }, secretIDs: ownerRows.map { $0.text(2) }, timestamp: time
                ))
            }
            return rows.count
        }
    }
}
