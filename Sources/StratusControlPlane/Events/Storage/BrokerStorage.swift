import StratusStore

/// The broker's durable state in one SQLite database in WAL mode with
/// `synchronous=FULL` (or `NORMAL` when configured), so a commit returns
/// after the WAL is synced to disk.
///
/// Not thread-safe: after `load`, only the broker's commit thread uses it.
final class BrokerStorage {
    let database: SQLiteDatabase
    private let statements: [String: SQLiteStatement]

    private static let schema = """
        BEGIN IMMEDIATE;
        CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY,
            topic TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            published_at INTEGER NOT NULL,
            key BLOB NOT NULL,
            headers BLOB NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS messages_by_topic ON messages (topic, sequence);
        CREATE TABLE IF NOT EXISTS topics (topic TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS groups (topic TEXT NOT NULL, name TEXT NOT NULL, floor INTEGER NOT NULL, PRIMARY KEY (topic, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS settled (topic TEXT NOT NULL, name TEXT NOT NULL, sequence INTEGER NOT NULL, PRIMARY KEY (topic, name, sequence)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS attempts (topic TEXT NOT NULL, name TEXT NOT NULL, sequence INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (topic, name, sequence)) WITHOUT ROWID;
        COMMIT;
        """

    private static let sql: [String: String] = [
        "append": "INSERT INTO messages (topic, sequence, published_at, key, headers, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        "last": "INSERT INTO topics (topic, last_sequence) VALUES (?1, ?2) ON CONFLICT (topic) DO UPDATE SET last_sequence = max(last_sequence, ?2)",
        "trim": "DELETE FROM messages WHERE topic = ?1 AND sequence <= ?2",
        "settle": "INSERT OR IGNORE INTO settled (topic, name, sequence) VALUES (?1, ?2, ?3)",
        "unattempt": "DELETE FROM attempts WHERE topic = ?1 AND name = ?2 AND sequence = ?3",
        "floor": "INSERT INTO groups (topic, name, floor) VALUES (?1, ?2, ?3) ON CONFLICT (topic, name) DO UPDATE SET floor = max(floor, ?3)",
        "floorSettled": "DELETE FROM settled WHERE topic = ?1 AND name = ?2 AND sequence <= ?3",
        "floorAttempts": "DELETE FROM attempts WHERE topic = ?1 AND name = ?2 AND sequence <= ?3",
        "attempt": "INSERT OR REPLACE INTO attempts (topic, name, sequence, count) VALUES (?1, ?2, ?3, ?4)",
        "begin": "BEGIN IMMEDIATE",
        "commit": "COMMIT",
        "rollback": "ROLLBACK",
    ]

    /// Opens or creates the database. With `syncEveryCommit` false the WAL
    /// is synced only at checkpoints (`synchronous=NORMAL`): a commit then
    /// survives a crash of the process but not of the machine.
    init(path: String, syncEveryCommit: Bool) throws(StoreError) {
        database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode = WAL")
        try database.execute("PRAGMA synchronous = \(syncEveryCommit ? "FULL" : "NORMAL")")
        // One broker per file: a second process would fork the topics.
        try database.execute("PRAGMA locking_mode = EXCLUSIVE")
        do {
            try database.execute(Self.schema)
        } catch {
            throw StoreError(.unavailable, "cannot open the event broker database \(path): \(error.message); if another control plane uses this directory, stop it or choose another")
        }
        var statements: [String: SQLiteStatement] = [:]
        for (name, sql) in Self.sql {
            statements[name] = try database.prepare(sql)
        }
        self.statements = statements
    }

    func close() {
        statements.values.forEach { $0.finalize() }
        database.close()
    }

    /// Writes records in one transaction and returns after it is synced.
    func write(_ records: [BrokerRecord]) throws(StoreError) {
        try statements["begin"]!.run()
        do {
            for record in records {
                try apply(record)
            }
            try statements["commit"]!.run()
        } catch {
            try? statements["rollback"]!.run()
            throw error
        }
    }

    private func run(_ name: String, _ text: [String], _ numbers: [Int64], blobs: [[UInt8]] = []) throws(StoreError) {
        let statement = statements[name]!
        var index: Int32 = 1
        for value in text {
            statement.bind(index, Array(value.utf8))
            index += 1
        }
        for value in numbers {
            statement.bind(index, value)
            index += 1
        }
        for value in blobs {
            statement.bind(index, value)
            index += 1
        }
        try statement.run()
    }

    private func apply(_ record: BrokerRecord) throws(StoreError) {
        switch record {
        case let .append(topic, sequence, publishedAt, key, headers, payload):
            try run("append", [topic], [Int64(sequence), publishedAt], blobs: [key, headers, payload])
            try run("last", [topic], [Int64(sequence)])
        case let .trim(topic, through):
            try run("trim", [topic], [Int64(through)])
        case let .settle(topic, group, sequence):
            try run("settle", [topic, group], [Int64(sequence)])
            try run("unattempt", [topic, group], [Int64(sequence)])
        case let .floor(topic, group, floor):
            try run("floor", [topic, group], [Int64(floor)])
            try run("floorSettled", [topic, group], [Int64(floor)])
            try run("floorAttempts", [topic, group], [Int64(floor)])
        case let .attempt(topic, group, sequence, count):
            try run("attempt", [topic, group], [Int64(sequence), Int64(count)])
        }
    }
}
