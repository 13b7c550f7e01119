/// One versioned step of the IAM schema. Steps run in version order, each
/// in its own transaction, and each is recorded in `schema_migrations`, so
/// a database is migrated once however many replicas start at once.
struct Migration: Sendable {
    let version: Int64
    let name: String
    /// The statements, built for a dialect and the current time in
    /// microseconds since 1970.
    let statements: @Sendable (SQLDialect, Int64) -> [String]
}

extension Migration {
    /// Every migration, oldest first. Append new steps; never edit a step
    /// that has shipped.
    static let all: [Migration] = [createTables, seedAdministrator, addIndexes, addRelayPositions]

    static let createTables = Migration(version: 1, name: "create tables") { dialect, _ in
        let key = dialect.autoIncrementKey
        return [
            """
            CREATE TABLE users (id \(key), name TEXT NOT NULL UNIQUE, status BIGINT NOT NULL, nickname TEXT NOT NULL,
              password TEXT NOT NULL, email TEXT NOT NULL, phone TEXT NOT NULL, is_admin BIGINT NOT NULL,
              extend TEXT NOT NULL, logined_at BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE secrets (id \(key), username TEXT NOT NULL, name TEXT NOT NULL, secret_id TEXT NOT NULL UNIQUE,
              secret_key TEXT NOT NULL, expires BIGINT NOT NULL, description TEXT NOT NULL, extend TEXT NOT NULL,
              created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (username, name))
            """,
            """
            CREATE TABLE policies (id \(key), username TEXT NOT NULL, name TEXT NOT NULL, policy TEXT NOT NULL,
              extend TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (username, name))
            """,
            """
            CREATE TABLE policy_archive (id BIGINT NOT NULL, username TEXT NOT NULL, name TEXT NOT NULL, policy TEXT NOT NULL,
              extend TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, deleted_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE changes (revision \(key), kind TEXT NOT NULL, operation TEXT NOT NULL, owner TEXT NOT NULL,
              names TEXT NOT NULL, secret_ids TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE audit_records (seq \(key), id TEXT NOT NULL UNIQUE, timestamp BIGINT NOT NULL, username TEXT NOT NULL,
              effect TEXT NOT NULL, conclusion TEXT NOT NULL, request TEXT NOT NULL, policies TEXT NOT NULL,
              deciders TEXT NOT NULL, expire_at BIGINT NOT NULL, request_id TEXT NOT NULL, instance TEXT NOT NULL,
              aggregated BIGINT NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE audit_statistics (bucket BIGINT NOT NULL, username TEXT NOT NULL, allowed BIGINT NOT NULL,
              denied BIGINT NOT NULL, PRIMARY KEY (bucket, username))
            """,
        ]
    }

    /// The administrator upstream's install step creates: id 1, `admin` with
    /// the password `Admin@2021` (upstream's bcrypt hash of it), and the next
    /// ids where upstream's seed leaves them: 38 users, 22 secrets,
    /// 47 policies.
    static let seedAdministrator = Migration(version: 2, name: "seed the administrator") { dialect, now in
        [
            """
            INSERT INTO users (id, name, status, nickname, password, email, phone, is_admin, extend, logined_at, created_at, updated_at)
            VALUES (1, 'admin', 1, 'admin', '$2a$10$WnQD2DCfWVhlGmkQ8pdLkesIGPf9KJB7N1mhSOqulbgN7ZMo44Mv2', 'admin@foxmail.com',
              '1812884xxxx', 1, '{}', \(now), \(now), \(now))
            ON CONFLICT DO NOTHING
            """,
            dialect.setNextID("users", 38),
            dialect.setNextID("secrets", 22),
            dialect.setNextID("policies", 47),
        ]
    }

    static let addIndexes = Migration(version: 3, name: "add indexes") { _, _ in
        [
            "CREATE INDEX policy_archive_deleted_at ON policy_archive (deleted_at)",
            "CREATE INDEX changes_created_at ON changes (created_at)",
            "CREATE INDEX audit_records_pending ON audit_records (aggregated, seq)",
            "CREATE INDEX audit_records_expire_at ON audit_records (expire_at)",
        ]
    }

    /// How far each relay has copied the change log to the event bus.
    static let addRelayPositions = Migration(version: 4, name: "add relay positions") { _, _ in
        ["CREATE TABLE relay_positions (name TEXT PRIMARY KEY, revision BIGINT NOT NULL)"]
    }
}
