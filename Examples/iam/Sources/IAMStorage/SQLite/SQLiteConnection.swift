private import CSQLite

/// A SQLite connection for the IAM storage, used from one thread at a time.
///
/// The database runs in WAL mode with a busy timeout, so several processes
/// (replicas of the API server and the pump) can share one file on one
/// machine. Readers do not wait for writers, and a writer waits up to the
/// busy timeout for another's transaction before it fails.
final class SQLiteConnection: SQLConnection {
    let dialect = SQLDialect.sqlite
    let path: String
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    private var closed = false

    /// SQLite's extended result codes for a unique and a primary-key
    /// constraint (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_CONSTRAINT_PRIMARYKEY`),
    /// which Swift does not import because they are computed macros.
    private static let uniqueConstraintCodes: Set<Int32> = [2067, 1555]

    init(path: String, busyTimeoutMilliseconds: Int32 = 10_000) throws(SQLError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw SQLError(kind: .failure, message: "cannot open the SQLite database \(path): \(message) (code \(status)); check that the directory exists and is writable")
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        try executeScript("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
    }

    func close() {
        guard !closed else { return }
        closed = true
        for statement in statements.values {
            sqlite3_finalize(statement)
        }
        statements = [:]
        sqlite3_close_v2(handle)
    }

    deinit {
        close()
    }

    func executeScript(_ sql: String) throws(SQLError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "code \(status)"
            sqlite3_free(message)
            throw error(status: status, "\(sql.prefix(80)) failed: \(text)")
        }
    }

    @discardableResult
    func query(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> [SQLRow] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (offset, value) in parameters.enumerated() {
            let index = sqlite3_bind_parameter_index(statement, "$\(offset + 1)")
            guard index > 0 else { continue }
            switch value {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let number): sqlite3_bind_int64(statement, index, number)
            case .text(let text): sqlite3_bind_text(statement, index, text, -1, stratus_sqlite_transient())
            }
        }
        var rows: [SQLRow] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else {
                throw error(status: status, "\(sql.prefix(80)) failed: \(String(cString: sqlite3_errmsg(handle)))")
            }
            rows.append(Self.row(of: statement))
        }
    }

    private func prepared(_ sql: String) throws(SQLError) -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw error(status: status, "preparing \(sql.prefix(80)) failed: \(String(cString: sqlite3_errmsg(handle)))")
        }
        statements[sql] = statement
        return statement
    }

    private static func row(of statement: OpaquePointer) -> SQLRow {
        let count = sqlite3_column_count(statement)
        var columns: [String?] = []
        columns.reserveCapacity(Int(count))
        for column in 0..<count {
            if sqlite3_column_type(statement, column) == SQLITE_NULL {
                columns.append(nil)
            } else if let text = sqlite3_column_text(statement, column) {
                columns.append(String(cString: text))
            } else {
                columns.append("")
            }
        }
        return SQLRow(columns: columns)
    }

    private func error(status: Int32, _ message: String) -> SQLError {
        let kind: SQLError.Kind = Self.uniqueConstraintCodes.contains(status) ? .uniqueViolation : .failure
        return SQLError(kind: kind, message: "SQLite \(path): \(message)")
    }
}
