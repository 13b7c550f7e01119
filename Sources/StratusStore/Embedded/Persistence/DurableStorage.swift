/// The durable half of the embedded store: the latest state of every key
/// without a lease, and the store's revision, in a SQLite database in WAL
/// mode with `synchronous=FULL`, so a commit returns after the WAL is synced.
///
/// Changes are appended to a log table, each row a key's new state (version
/// 0 for a removal), as k3s's kine does. Appending touches the last pages of
/// one table, where updating rows in place would dirty a page per key and
/// make every sync write several times more. Rows that a later row of the
/// same key replaced are pruned once they outnumber the live rows.
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

    /// The keys and revision that a restart finds on disk.
    struct Snapshot {
        var revision: Int64
        var keyValues: [KeyValue]
    }

    /// Rows appended since the last prune before pruning again, at least.
    private let minimumPruneInterval: Int

    private let database: SQLiteDatabase
    private let append: SQLiteStatement
    private let setRevision: SQLiteStatement
    private let begin: SQLiteStatement
    private let commit: SQLiteStatement
    private let rollback: SQLiteStatement

    init(path: String, minimumPruneInterval: Int = 10_000) throws(StoreError) {
        self.minimumPruneInterval = minimumPruneInterval
        database = try SQLiteDatabase(path: path)
        try Self.configure(database)
        append = try database.prepare("INSERT INTO log (key, value, create_revision, mod_revision, version) VALUES (?1, ?2, ?3, ?4, ?5)")
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
                CREATE TABLE IF NOT EXISTS log (
                    id INTEGER PRIMARY KEY,
                    key BLOB NOT NULL,
                    value BLOB NOT NULL,
                    create_revision INTEGER NOT NULL,
                    mod_revision INTEGER NOT NULL,
                    version INTEGER NOT NULL
                );
                CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                COMMIT;
                """)
        } catch {
            throw StoreError(.unavailable, "cannot open the store database \(database.path): \(error.message); if another control plane uses this file, stop it or choose another path")
        }
    }

    /// Closes the database and releases its lock on the file.
    func close() {
        for statement in [append, setRevision, begin, commit, rollback] {
            statement.finalize()
        }
        database.close()
    }

    /// Reads the stored keys and revision, after pruning replaced rows.
    func load() throws(StoreError) -> Snapshot {
        try prune()
        var snapshot = Snapshot(revision: 0, keyValues: [])
        let meta = try database.prepare("SELECT value FROM meta WHERE name = 'revision'")
        defer { meta.finalize() }
        try meta.forEachRow { row in snapshot.revision = row.int64(0) }
        let keys = try database.prepare("SELECT key, value, create_revision, mod_revision, version FROM log ORDER BY key")
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
        liveRows = snapshot.keyValues.count
        return snapshot
    }

    /// Rows appended since the last prune, and rows left by it.
    private var appendedRows = 0
    private var liveRows = 0

    /// Keeps only each key's newest row, and drops it when it is a removal.
    /// After the first statement every key has one row, so a removal row
    /// no longer hides an older value and can go.
    private func prune() throws(StoreError) {
        try database.execute("""
            BEGIN IMMEDIATE;
            DELETE FROM log WHERE id NOT IN (SELECT max(id) FROM log GROUP BY key);
            DELETE FROM log WHERE version = 0;
            COMMIT;
            """)
        appendedRows = 0
    }

    private func pruneIfDue() throws(StoreError) {
        guard appendedRows > max(minimumPruneInterval, liveRows) else { return }
        try prune()
        liveRows = try rowCount()
    }

    func rowCount() throws(StoreError) -> Int {
        let count = try database.prepare("SELECT count(*) FROM log")
        defer { count.finalize() }
        var rows = 0
        try count.forEachRow { row in rows = Int(row.int64(0)) }
        return rows
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
        appendedRows += changes.count
        try pruneIfDue()
    }

    private func apply(_ change: Change) throws(StoreError) {
        switch change {
        case .upsert(let keyValue):
            append.bind(1, keyValue.key)
            append.bind(2, keyValue.value)
            append.bind(3, keyValue.createRevision)
            append.bind(4, keyValue.modRevision)
            append.bind(5, keyValue.version)
        case .remove(let key):
            append.bind(1, key)
            append.bind(2, [])
            append.bind(3, 0)
            append.bind(4, 0)
            append.bind(5, 0)
        }
        try append.run()
    }
}
