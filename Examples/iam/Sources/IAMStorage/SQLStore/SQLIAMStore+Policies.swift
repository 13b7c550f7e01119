public import IAMModel

extension SQLIAMStore: PolicyStore {
    private static let selectPolicy = "SELECT \(RowCoding.policyColumns) FROM policies"

    public func createPolicy(_ policy: Policy) async throws -> Policy {
        try await transaction { connection in
            let rows: [SQLRow]
            do {
                rows = try connection.query(
                    "INSERT INTO policies (username, name, policy, extend, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING \(RowCoding.policyColumns)",
                    [
                        .text(policy.username), .text(policy.name), RowCoding.json(policy.policy), RowCoding.json(policy.metadata.extend),
                        .integer(policy.metadata.createdAt.microseconds), .integer(policy.metadata.updatedAt.microseconds),
                    ]
                )
            } catch let error as SQLError where error.kind == .uniqueViolation {
                throw StorageError(.duplicate, "\"\(policy.username)\" already has a policy named \"\(policy.name)\"")
            }
            try Self.appendChange(connection, ChangeEvent(
                kind: .policyChanged, operation: .create, owner: policy.username, names: [policy.name], timestamp: policy.metadata.createdAt
            ))
            return try RowCoding.policy(rows[0])
        }
    }

    public func policy(owner: String, name: String) async throws -> Policy? {
        try await run { connection in
            try connection.query(Self.selectPolicy + " WHERE username = $1 AND name = $2", [.text(owner), .text(name)]).first.map(RowCoding.policy)
        }
    }

    public func updatePolicy(owner: String, name: String, rule: LadonPolicy, extend: [String: JSONValue], at time: Timestamp) async throws -> Policy? {
        var rule = rule
        rule.id = name
        let stored = rule
        return try await transaction { connection in
            let rows = try connection.query(
                "UPDATE policies SET policy = $1, extend = $2, updated_at = $3 WHERE username = $4 AND name = $5 RETURNING \(RowCoding.policyColumns)",
                [RowCoding.json(stored), RowCoding.json(extend), .integer(time.microseconds), .text(owner), .text(name)]
            )
            guard let row = rows.first else { return nil }
            try Self.appendChange(connection, ChangeEvent(kind: .policyChanged, operation: .update, owner: owner, names: [name], timestamp: time))
            return try RowCoding.policy(row)
        }
    }

    @discardableResult
    public func deletePolicies(owner: String, names: [String], at time: Timestamp) async throws -> Int {
        try await transaction { connection in
            let deleted = try Self.archiveAndDeletePolicies(connection, owner: owner, names: names, at: time)
            try Self.appendChange(connection, ChangeEvent(kind: .policyChanged, operation: .delete, owner: owner, names: names, timestamp: time))
            return deleted.count
        }
    }

    public func listPolicies(owner: String, _ query: ListQuery) async throws -> ResourceList<Policy> {
        try await run { connection in
            let (filter, parameters) = Self.nameFilter(query, dialect: connection.dialect, first: 2)
            let scope = " WHERE username = $1" + filter
            let total = try connection.query("SELECT count(*) FROM policies" + scope, [.text(owner)] + parameters)[0].integer(0)
            let (limit, offset) = RowCoding.page(query)
            let next = parameters.count + 2
            let rows = try connection.query(
                Self.selectPolicy + scope + " ORDER BY id DESC LIMIT $\(next) OFFSET $\(next + 1)",
                [.text(owner)] + parameters + [limit, offset]
            )
            return ResourceList(totalCount: total, items: try rows.map(RowCoding.policy))
        }
    }

    public func allPolicies() async throws -> [Policy] {
        try await run { connection in
            try connection.query(Self.selectPolicy + " ORDER BY id DESC", []).map(RowCoding.policy)
        }
    }

    public func purgeArchivedPolicies(deletedBefore time: Timestamp) async throws -> Int {
        try await run { connection in
            try connection.query("DELETE FROM policy_archive WHERE deleted_at < $1 RETURNING id", [.integer(time.microseconds)]).count
        }
    }

    public func archivedPolicyCount() async throws -> Int {
        try await run { connection in
            Int(try connection.query("SELECT count(*) FROM policy_archive", [])[0].integer(0))
        }
    }

    /// Copies the owner's named policies (all of them when `names` is nil)
    /// to the archive and deletes them; returns the deleted names.
    static func archiveAndDeletePolicies(_ connection: any SQLConnection, owner: String, names: [String]?, at time: Timestamp) throws -> [String] {
        let copy = """
            INSERT INTO policy_archive (id, username, name, policy, extend, created_at, updated_at, deleted_at)
            SELECT id, username, name, policy, extend, created_at, updated_at, $1 FROM policies WHERE username = $2
            """
        guard let names else {
            try connection.query(copy, [.integer(time.microseconds), .text(owner)])
            return try connection.query("DELETE FROM policies WHERE username = $1 RETURNING name", [.text(owner)]).map { $0.text(0) }
        }
        var deleted: [String] = []
        for name in names {
            try connection.query(copy + " AND name = $3", [.integer(time.microseconds), .text(owner), .text(name)])
            deleted += try connection.query("DELETE FROM policies WHERE username = $1 AND name = $2 RETURNING name", [.text(owner), .text(name)]).map { $0.text(0) }
        }
        return deleted
    }
}
