/// The durable half of the embedded store: the latest state of every key
/// without a lease, and the store's revisions, in a SQLite database in WAL
/// mode with `synchronous=FULL`, so a commit returns after the WAL is synced.
///
/// History is not stored: after a restart, the store's history starts at
/// the stored revision, as if it had been compacted there.
///
/// Not thread-safe: one thread writes at a time (the store's commit thread).
final class DurableStorage {
    /// One change to a durable key.
    enum Change {
        case upsert(KeyValue)
        case remove([UInt8])
    }

    /// What a restart finds.
    struct Snapshot {
        var revision: Int64
        var keyValues: [KeyValue]
    }

    private let database: SQLiteDatabase
    private let upsert: SQLiteStatement
    private let remove: SQLiteStatement
    private let setRevision: SQLiteStatement
    private let begin: SQLiteStatement
    private let commit: SQLiteStatement
    private let rollback: SQLiteStatement

    init(path: String) throws(StoreError) {
        database = try SQLiteDatabase(path: path)
        try Self.configure(database)
        upsert = try database.prepare("""
            INSERT INTO kv (key, value, create_revision, mod_revision, version) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (key) DO UPDATE SET value = ?2, create_revision = ?3, mod_revision = ?4, version = ?5
            """)
        remove = try database.prepare("DELETE FROM kv WHERE key = ?1")
        setRevision = try database.prepare("INSERT OR REPLACE INTO meta (name, value) VALUES ('revision', ?1)")
        begin = try database.prepare("BEGIN IMMEDIATE")
        commit = try database.prepare("COMMIT")
        rollback = try database.prepare("ROLLBACK")
    }

    /// WAL with full sync makes each commit durable once it returns. The
    /// exclusive locking mode keeps a second process from opening the same
    /// store, which would fork its history.
    private static func configure(_ database: SQLiteDatabase) throws(StoreError) {
        try database.execute("PRAGMA journal_mode = WAL")
        try database.execute("PRAGMA synchronous = FULL")
        try database.execute("PRAGMA locking_mode = EXCLUSIVE")
        do {
            try database.execute("""
                BEGIN IMMEDIATE;
                CREATE TABLE IF NOT EXISTS kv (
                    key BLOB PRIMARY KEY,
                    value BLOB NOT NULL,
                    create_revision INTEGER NOT NULL,
                    mod_revision INTEGER NOT NULL,
                    version INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                COMMIT;
                """)
        } catch {
            throw StoreError(.unavailable, "cannot open the store database \(database.path): \(error.message); if another control plane uses this file, stop it or choose another path")
        }
    }

    /// Closes the database and releases its lock on the file.
    func close() {
        for statement in [upsert, remove, setRevision, begin, commit, rollback] {
            statement.finalize()
        }
        database.close()
    }

    /// Reads the stored keys and revision.
    func load() throws(StoreError) -> Snapshot {
        var snapshot = Snapshot(revision: 0, keyValues: [])
        let meta = try database.prepare("SELECT value FROM meta WHERE name = 'revision'")
        defer { meta.finalize() }
        try meta.forEachRow { row in snapshot.revision = row.int64(0) }
        let keys = try database.prepare("SELECT key, value, create_revision, mod_revision, version FROM kv ORDER BY key")
        defer { keys.finalize() }
        try keys.forEachRow { row in
            snapshot.keyValues.append(KeyValue(
                key: row.bytes(0),
                value: row.bytes(1),
                createRevision: row.int64(2),
                modRevision: row.int64(3),
                version: row.int64(4)
            ))
        }
        return snapshot
    }

    /// Writes changes and the new revision in one transaction and returns
    /// after it is synced to disk.
    func write(_ changes: [Change], revision: Int64) throws(StoreError) {
        try begin.run()
        do {
            for change in changes {
                try apply(change)
            }
            setRevision.bind(1, revision)
            try setRevision.run()
            try commit.run()
        } catch {
            try? rollback.run()
            throw error
        }
    }

    private func apply(_ change: Change) throws(StoreError) {
        switch change {
        case .upsert(let keyValue):
            upsert.bind(1, keyValue.key)
            upsert.bind(2, keyValue.value)
            upsert.bind(3, keyValue.createRevision)
            upsert.bind(4, keyValue.modRevision)
            upsert.bind(5, keyValue.version)
            try upsert.run()
        case .remove(let key):
            remove.bind(1, key)
            try remove.run()
        }
    }
}
