public import IAMModel

extension SQLIAMStore: AuditStore {
    private static let auditColumns = "id, timestamp, username, effect, conclusion, request, policies, deciders, expire_at, request_id, instance"

    @discardableResult
    public func insertAuditRecords(_ records: [AuditRecord]) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        return try await transaction { connection in
            var inserted = 0
            for record in records {
                inserted += try connection.query(
                    """
                    INSERT INTO audit_records (\(Self.auditColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    ON CONFLICT DO NOTHING RETURNING seq
                    """,
                    [
                        .text(record.id), .integer(record.timestamp), .text(record.username), .text(record.effect),
                        .text(record.conclusion), .text(record.request), .text(record.policies), .text(record.deciders),
                        .integer(record.expireAt.microseconds), .text(record.requestID), .text(record.instance),
                    ]
                ).count
            }
            return inserted
        }
    }

    public func recentAuditRecords(limit: Int) async throws -> [AuditRecord] {
        try await run { connection in
            try connection.query("SELECT \(Self.auditColumns) FROM audit_records ORDER BY seq DESC LIMIT $1", [.integer(Int64(limit))]).map { row in
                AuditRecord(
                    id: row.text(0), timestamp: row.integer(1), username: row.text(2), effect: row.text(3), conclusion: row.text(4),
                    request: row.text(5), policies: row.text(6), deciders: row.text(7),
                    expireAt: Timestamp(microseconds: row.integer(8)), requestID: row.text(9), instance: row.text(10)
                )
            }
        }
    }

    /// Counts records up to the newest pending one seen at the start, so
    /// records that arrive meanwhile wait for the next run instead of being
    /// marked without being counted.
    public func aggregateAuditRecords(bucketSeconds: Int64) async throws -> Int {
        precondition(bucketSeconds > 0, "the statistics bucket must be at least one second")
        return try await transaction { connection in
            let last = try connection.query("SELECT coalesce(max(seq), 0) FROM audit_records WHERE aggregated = 0", [])[0].integer(0)
            guard last > 0 else { return 0 }
            try connection.query(
                """
                INSERT INTO audit_statistics (bucket, username, allowed, denied)
                SELECT timestamp - (timestamp % $1), username,
                  sum(CASE WHEN effect = 'allow' THEN 1 ELSE 0 END), sum(CASE WHEN effect = 'allow' THEN 0 ELSE 1 END)
                FROM audit_records WHERE aggregated = 0 AND seq <= $2 GROUP BY timestamp - (timestamp % $1), username
                ON CONFLICT (bucket, username) DO UPDATE SET
                  allowed = audit_statistics.allowed + excluded.allowed, denied = audit_statistics.denied + excluded.denied
                """,
                [.integer(bucketSeconds), .integer(last)]
            )
            return try connection.query("UPDATE audit_records SET aggregated = 1 WHERE aggregated = 0 AND seq <= $1 RETURNING seq", [.integer(last)]).count
        }
    }

    public func auditStatistics() async throws -> [AuditStatistic] {
        try await run { connection in
            try connection.query("SELECT bucket, username, allowed, denied FROM audit_statistics ORDER BY bucket, username", []).map { row in
                AuditStatistic(bucket: row.integer(0), username: row.text(1), allowed: row.integer(2), denied: row.integer(3))
            }
        }
    }

    public func purgeAuditRecords(expiredBefore time: Timestamp) async throws -> Int {
        try await run { connection in
            try connection.query("DELETE FROM audit_records WHERE expire_at < $1 AND aggregated = 1 RETURNING seq", [.integer(time.microseconds)]).count
        }
    }
}
