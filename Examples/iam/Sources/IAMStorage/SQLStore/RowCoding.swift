import IAMModel

/// Reading resources from rows and writing their JSON columns.
enum RowCoding {
    static let userColumns = "id, name, status, nickname, password, email, phone, is_admin, extend, logined_at, created_at, updated_at"
    static let secretColumns = "id, username, name, secret_id, secret_key, expires, description, extend, created_at, updated_at"
    static let policyColumns = "id, username, name, policy, extend, created_at, updated_at"

    /// Reads a user from `userColumns`, with the policy count in column 12 when present.
    static func user(_ row: SQLRow) -> User {
        let id = UInt64(row.integer(0))
        return User(
            metadata: meta(.user, id: id, name: row.text(1), extend: row.text(8), created: row.integer(10), updated: row.integer(11)),
            status: Int(row.integer(2)),
            nickname: row.text(3),
            passwordHash: row.text(4),
            email: row.text(5),
            phone: row.text(6),
            isAdmin: Int(row.integer(7)),
            totalPolicy: row.columns.count > 12 ? row.integer(12) : 0,
            loginedAt: Timestamp(microseconds: row.integer(9))
        )
    }

    static func secret(_ row: SQLRow) -> Secret {
        Secret(
            metadata: meta(.secret, id: UInt64(row.integer(0)), name: row.text(2), extend: row.text(7), created: row.integer(8), updated: row.integer(9)),
            username: row.text(1),
            secretID: row.text(3),
            secretKey: row.text(4),
            expires: row.integer(5),
            description: row.text(6)
        )
    }

    static func policy(_ row: SQLRow) throws -> Policy {
        let rule: LadonPolicy
        do {
            rule = try JSONCoding.decode(LadonPolicy.self, from: Array(row.text(3).utf8))
        } catch {
            throw StorageError(.unavailable, "the stored rule of policy \"\(row.text(2))\" of \"\(row.text(1))\" is not valid JSON: \(error)")
        }
        return Policy(
            metadata: meta(.policy, id: UInt64(row.integer(0)), name: row.text(2), extend: row.text(4), created: row.integer(5), updated: row.integer(6)),
            username: row.text(1),
            policy: rule
        )
    }

    static func meta(_ kind: InstanceID.Kind, id: UInt64, name: String, extend: String, created: Int64, updated: Int64) -> ObjectMeta {
        ObjectMeta(
            id: id,
            instanceID: InstanceID.make(kind, id: id),
            name: name,
            extend: (try? JSONCoding.decode([String: JSONValue].self, from: Array(extend.utf8))) ?? [:],
            createdAt: Timestamp(microseconds: created),
            updatedAt: Timestamp(microseconds: updated)
        )
    }

    static func json(_ value: some Encodable) -> SQLValue {
        .text(JSONCoding.encodeToString(value))
    }

    static func strings(_ text: String) -> [String] {
        (try? JSONCoding.decode([String].self, from: Array(text.utf8))) ?? []
    }

    /// Returns the `LIMIT` and `OFFSET` values of a list query. No limit is
    /// the largest 64-bit integer, which both databases accept.
    static func page(_ query: ListQuery) -> (limit: SQLValue, offset: SQLValue) {
        (.integer(query.limit > 0 ? query.limit : Int64.max), .integer(max(0, query.offset)))
    }
}
