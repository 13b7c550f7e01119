/// Brings a database to the newest schema version.
enum MigrationRunner {
    /// Applies every migration not yet recorded and returns the versions it
    /// applied. Each runs in a transaction that first takes the migration
    /// lock, then rechecks the recorded versions, so concurrent starts apply
    /// each step once.
    static func migrate(_ connection: any SQLConnection, migrations: [Migration] = Migration.all, now: Int64) throws -> [Int64] {
        var applied: [Int64] = []
        for migration in migrations {
            let didApply = try connection.transaction {
                if let lock = connection.dialect.migrationLock {
                    try connection.executeScript(lock)
                }
                try connection.executeScript(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
                )
                let done = try connection.query("SELECT 1 FROM schema_migrations WHERE version = $1", [.integer(migration.version)])
                guard done.isEmpty else { return false }
                for statement in migration.statements(connection.dialect, now) {
                    try connection.executeScript(statement)
                }
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    [.integer(migration.version), .text(migration.name), .integer(now)]
                )
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    /// Returns the versions recorded in `schema_migrations`, oldest first.
    static func appliedVersions(_ connection: any SQLConnection) throws -> [Int64] {
        try connection.query("SELECT version FROM schema_migrations ORDER BY version", []).map { $0.integer(0) }
    }
}
