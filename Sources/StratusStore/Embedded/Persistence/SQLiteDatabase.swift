private import CSQLite

/// One SQLite connection, used from one thread at a time.
///
/// Not thread-safe: the embedded store and the control plane's event
/// broker each open one on the thread that loads them and then hand it to
/// their commit thread, which alone uses it.
package final class SQLiteDatabase {
    private let handle: OpaquePointer
    private var closed = false
    package let path: String

    package init(path: String) throws(StoreError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw StoreError(.unavailable, "cannot open the store database \(path): \(message) (SQLite code \(status)); check that the directory exists and is writable")
        }
        self.handle = handle
        self.path = path
    }

    /// Closes the connection, releasing its file lock once every statement
    /// prepared from it is finalized.
    package func close() {
        guard !closed else { return }
        closed = true
        sqlite3_close_v2(handle)
    }

    deinit {
        close()
    }

    /// Runs statements that return no rows.
    package func execute(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "code \(status)"
            sqlite3_free(message)
            throw failure("\(sql.prefix(60))", text)
        }
    }

    package func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw failure("prepare \(sql.prefix(60))", lastMessage)
        }
        return SQLiteStatement(statement, database: self)
    }

    package var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    package func failure(_ operation: String, _ detail: String) -> StoreError {
        StoreError(.unavailable, "store database \(path): \(operation) failed: \(detail)")
    }
}

/// A prepared statement, reset after each use.
package final class SQLiteStatement {
    private var statement: OpaquePointer
    private var finalized = false
    private unowned let database: SQLiteDatabase

    fileprivate init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    package func finalize() {
        guard !finalized else { return }
        finalized = true
        sqlite3_finalize(statement)
    }

    deinit {
        finalize()
    }

    package func bind(_ index: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            // A zero-length blob needs a non-null pointer or SQLite stores NULL.
            let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)
            _ = sqlite3_bind_blob64(statement, index, base, sqlite3_uint64(buffer.count), stratus_sqlite_transient())
        }
    }

    package func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
    }

    /// Runs a statement that returns no rows.
    package func run() throws(StoreError) {
        defer { sqlite3_reset(statement) }
        let status = sqlite3_step(statement)
        guard status == SQLITE_DONE else {
            throw database.failure("write", database.lastMessage)
        }
    }

    /// Steps through the rows, calling `body` with a reader for each.
    package func forEachRow(_ body: (SQLiteRow) throws(StoreError) -> Void) throws(StoreError) {
        defer { sqlite3_reset(statement) }
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else {
                throw database.failure("read", database.lastMessage)
            }
            try body(SQLiteRow(statement: statement))
        }
    }
}

/// The current row of a statement, valid only inside `forEachRow`.
package struct SQLiteRow {
    fileprivate let statement: OpaquePointer

    package func bytes(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let base = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    package func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }
}
