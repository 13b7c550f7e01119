/// A parameter of a SQL statement.
enum SQLValue: Sendable {
    case null
    case integer(Int64)
    case text(String)
}

/// One result row, as text: SQLite and PostgreSQL (in text mode) both
/// return every column that way, so one reader serves both.
struct SQLRow {
    let columns: [String?]

    func text(_ index: Int) -> String {
        columns[index] ?? ""
    }

    func integer(_ index: Int) -> Int64 {
        columns[index].flatMap { Int64($0) } ?? 0
    }
}

/// A failed statement. `uniqueViolation` is a unique or primary-key
/// constraint.
struct SQLError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        case uniqueViolation
        case failure
    }

    let kind: Kind
    let message: String

    var description: String { message }
}

/// One connection to a SQL database, used from one thread at a time.
///
/// Statements number their parameters `$1`, `$2`, … in order of first
/// appearance. PostgreSQL reads them as positional parameters and SQLite
/// as named ones, which it numbers in that same order.
protocol SQLConnection: AnyObject {
    var dialect: SQLDialect { get }

    /// Runs one statement and returns its rows.
    @discardableResult
    func query(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> [SQLRow]

    /// Runs statements without parameters, separated by `;`.
    func executeScript(_ sql: String) throws(SQLError)
}

extension SQLConnection {
    /// Runs `body` in a transaction: committed when it returns, rolled back
    /// when it throws.
    func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try executeScript(dialect.beginTransaction)
        do {
            let result = try body()
            try executeScript("COMMIT")
            return result
        } catch {
            try? executeScript("ROLLBACK")
            throw error
        }
    }
}
