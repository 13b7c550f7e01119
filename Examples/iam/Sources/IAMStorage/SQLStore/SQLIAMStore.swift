import Dispatch
public import IAMModel

/// The IAM storage over a SQL database: SQLite or PostgreSQL.
///
/// Thread safety: one connection, used only on `queue`, a serial dispatch
/// queue. Every method hands its work to the queue and suspends until it is
/// done, so a slow database never blocks a task thread. Calls run one at a
/// time in the order they arrive.
public final class SQLIAMStore: @unchecked Sendable {
    /// The database's name for messages: `SQLite` or `PostgreSQL`.
    public let backend: String
    let now: @Sendable () -> Timestamp
    private let queue: DispatchQueue
    // Touched only on `queue`.
    private let connection: any SQLConnection
    private var closed = false

    init(connection: any SQLConnection, now: @escaping @Sendable () -> Timestamp) {
        self.connection = connection
        self.now = now
        backend = connection.dialect.name
        queue = DispatchQueue(label: "stratus.iam.storage")
    }

    /// Opens (creating it if needed) the SQLite database at `path` and
    /// migrates it.
    public static func openSQLite(path: String, now: @escaping @Sendable () -> Timestamp = Timestamp.now) async throws -> SQLIAMStore {
        let store = try SQLIAMStore(connection: SQLiteConnection(path: path), now: now)
        try await store.migrate()
        return store
    }

    /// Connects to PostgreSQL with a libpq connection string and migrates
    /// the database.
    public static func openPostgres(url: String, now: @escaping @Sendable () -> Timestamp = Timestamp.now) async throws -> SQLIAMStore {
        let store = try SQLIAMStore(connection: PostgresConnection(conninfo: url), now: now)
        try await store.migrate()
        return store
    }

    /// Applies pending schema migrations and returns their versions.
    @discardableResult
    public func migrate() async throws -> [Int64] {
        let time = now().microseconds
        return try await run { connection in try MigrationRunner.migrate(connection, now: time) }
    }

    /// Returns the schema versions applied, oldest first.
    public func schemaVersions() async throws -> [Int64] {
        try await run { connection in try MigrationRunner.appliedVersions(connection) }
    }

    /// Runs `body` with the connection on the queue. SQL errors become
    /// `StorageError`s: a unique violation `duplicate`, anything else
    /// `unavailable`.
    func run<Result: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                guard !closed else {
                    continuation.resume(throwing: StorageError(.unavailable, "the \(backend) storage is closed"))
                    return
                }
                do {
                    continuation.resume(returning: try body(connection))
                } catch let error as SQLError {
                    continuation.resume(throwing: StorageError(error.kind == .uniqueViolation ? .duplicate : .unavailable, error.message))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Runs `body` in a transaction on the queue.
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> Result) async throws -> Result {
        try await run { connection in try connection.transaction { try body(connection) } }
    }
}

extension SQLIAMStore: StoreLifecycle {
    public func ping() async throws {
        try await run { connection in _ = try connection.query("SELECT 1", []) }
    }

    public func close() async {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                if !closed {
                    closed = true
                    (connection as? SQLiteConnection)?.close()
                    (connection as? PostgresConnection)?.close()
                }
                continuation.resume()
            }
        }
    }
}
