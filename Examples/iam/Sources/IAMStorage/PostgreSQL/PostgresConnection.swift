private import CPostgreSQL
import Glibc

/// A PostgreSQL connection through libpq, used from one thread at a time.
/// Parameters are sent and results read in text form. A broken connection
/// is reset before the next statement.
final class PostgresConnection: SQLConnection {
    let dialect = SQLDialect.postgres
    private let connection: OpaquePointer
    private let target: String
    private var closed = false

    /// SQLSTATE `unique_violation`.
    private static let uniqueViolationState = "23505"

    /// - Parameter conninfo: a libpq connection string, such as
    ///   `postgresql://iam@127.0.0.1:5432/iam` or `host=127.0.0.1 port=5432 dbname=iam`.
    init(conninfo: String) throws(SQLError) {
        guard let connection = PQconnectdb(conninfo) else {
            throw SQLError(kind: .failure, message: "PostgreSQL: cannot allocate a connection")
        }
        self.connection = connection
        target = Self.describe(connection)
        guard PQstatus(connection) == CONNECTION_OK else {
            // deinit finishes the connection: every property is set by now.
            let message = Self.lastMessage(connection)
            throw SQLError(kind: .failure, message: "cannot connect to PostgreSQL at \(target): \(message); check postgres.url and that the server runs")
        }
        try executeScript("SET client_min_messages = warning")
    }

    func close() {
        guard !closed else { return }
        closed = true
        PQfinish(connection)
    }

    deinit {
        close()
    }

    func executeScript(_ sql: String) throws(SQLError) {
        reconnectIfBroken()
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    @discardableResult
    func query(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> [SQLRow] {
        reconnectIfBroken()
        let texts: [String?] = parameters.map { value in
            switch value {
            case .null: nil
            case .integer(let number): String(number)
            case .text(let text): text
            }
        }
        var pointers = texts.map { $0.flatMap { strdup($0) } }
        defer { pointers.forEach { free($0) } }
        let result = pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                PQexecParams(connection, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
            }
        }
        defer { PQclear(result) }
        try check(result, sql: sql)
        return Self.rows(of: result!)
    }

    private func reconnectIfBroken() {
        if PQstatus(connection) != CONNECTION_OK {
            PQreset(connection)
        }
    }

    private func check(_ result: OpaquePointer?, sql: String) throws(SQLError) {
        guard let result else {
            throw SQLError(kind: .failure, message: "PostgreSQL \(target): \(sql.prefix(80)) failed: \(Self.lastMessage(connection))")
        }
        let status = PQresultStatus(result)
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        let message = String(cString: PQresultErrorMessage(result)).trimmingSpaces()
        let kind: SQLError.Kind = state == Self.uniqueViolationState ? .uniqueViolation : .failure
        throw SQLError(kind: kind, message: "PostgreSQL \(target): \(sql.prefix(80)) failed: \(message) (SQLSTATE \(state))")
    }

    private static func rows(of result: OpaquePointer) -> [SQLRow] {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        return (0..<rowCount).map { row in
            SQLRow(columns: (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
    }

    private static func lastMessage(_ connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).trimmingSpaces()
    }

    private static func describe(_ connection: OpaquePointer) -> String {
        let host = PQhost(connection).map { String(cString: $0) } ?? "?"
        let port = PQport(connection).map { String(cString: $0) } ?? "?"
        let database = PQdb(connection).map { String(cString: $0) } ?? "?"
        return "\(host):\(port)/\(database)"
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
