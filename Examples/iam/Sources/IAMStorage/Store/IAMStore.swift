import IAMModel

/// The storage of the IAM services: users, secrets, policies, the log of
/// changes that authorization servers follow, and audit records.
///
/// Every method may suspend while the database works; none blocks the
/// caller's thread. Writes that change secrets or policies append their
/// `ChangeEvent` in the same transaction, so an event exists exactly when
/// its change is committed.
///
/// `SQLIAMStore` implements it over SQLite (the default, one file) and over
/// PostgreSQL; both pass the same test suite.
public typealias IAMStore = UserStore & SecretStore & PolicyStore & ChangeLog & AuditStore & StoreLifecycle

/// Checks and closing.
public protocol StoreLifecycle: Sendable {
    /// Runs a trivial query, for readiness checks.
    func ping() async throws
    /// Closes the connection; later calls fail.
    func close() async
}

/// Offset, limit and name filter of the list routes.
public struct ListQuery: Sendable, Hashable {
    /// Rows to skip; `0` or less skips none.
    public var offset: Int64
    /// Rows to return; `0` or less means no limit.
    public var limit: Int64
    /// Keep only names containing this text (substring, case-sensitive).
    public var nameContains: String?

    public init(offset: Int64 = 0, limit: Int64 = 1000, nameContains: String? = nil) {
        self.offset = offset
        self.limit = limit
        self.nameContains = nameContains
    }
}
