public import IAMModel

extension SQLIAMStore: ChangeLog {
    public func changes(after revision: Int64, limit: Int) async throws -> [ChangeEvent] {
        try await run { connection in
            try connection.query(
                "SELECT revision, kind, operation, owner, names, secret_ids, created_at FROM changes WHERE revision > $1 ORDER BY revision LIMIT $2",
                [.integer(revision), .integer(Int64(limit))]
            ).compactMap(Self.changeEvent)
        }
    }

    public func latestRevision() async throws -> Int64 {
        try await run { connection in
            try connection.query("SELECT coalesce(max(revision), 0) FROM changes", [])[0].integer(0)
        }
    }

    public func purgeChanges(before time: Timestamp) async throws -> Int {
        try await run { connection in
            // The newest event stays, so the latest revision never goes back.
            try connection.query(
                "DELETE FROM changes WHERE created_at < $1 AND revision < (SELECT max(revision) FROM changes) RETURNING revision",
                [.integer(time.microseconds)]
            ).count
        }
    }

    public func relayPosition(_ name: String) async throws -> Int64 {
        try await run { connection in
            try connection.query("SELECT revision FROM relay_positions WHERE name = $1", [.text(name)]).first?.integer(0) ?? 0
        }
    }

    public func setRelayPosition(_ name: String, to revision: Int64) async throws {
        _ = try await run { connection in
            try connection.query(
                "INSERT INTO relay_positions (name, revision) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET revision = excluded.revision",
                [.text(name), .integer(revision)]
            )
        }
    }

    /// Records `event` in the transaction of the change it describes.
    static func appendChange(_ connection: any SQLConnection, _ event: ChangeEvent) throws {
        try connection.query(
            "INSERT INTO changes (kind, operation, owner, names, secret_ids, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [
                .text(event.kind.rawValue), .text(event.operation.rawValue), .text(event.owner),
                RowCoding.json(event.names), RowCoding.json(event.secretIDs), .integer(event.timestamp.microseconds),
            ]
        )
    }

    private static func changeEvent(_ row: SQLRow) -> ChangeEvent? {
        guard let kind = ChangeEvent.Kind(rawValue: row.text(1)), let operation = ChangeEvent.Operation(rawValue: row.text(2)) else {
            return nil
        }
        return ChangeEvent(
            revision: row.integer(0), kind: kind, operation: operation, owner: row.text(3),
            names: RowCoding.strings(row.text(4)), secretIDs: RowCoding.strings(row.text(5)),
            timestamp: Timestamp(microseconds: row.integer(6))
        )
    }
}
