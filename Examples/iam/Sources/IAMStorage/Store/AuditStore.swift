public import IAMModel

/// Audit records of authorization decisions and their hourly statistics.
public protocol AuditStore: Sendable {
    /// Stores records, skipping ids already stored, and returns how many
    /// were new. Delivering a batch twice therefore stores it once.
    @discardableResult
    func insertAuditRecords(_ records: [AuditRecord]) async throws -> Int

    /// Returns the newest records first, for tests and operators.
    func recentAuditRecords(limit: Int) async throws -> [AuditRecord]

    /// Adds every record not yet counted to the statistics of its
    /// (`bucketSeconds`-aligned) time bucket and user; returns how many
    /// records were counted.
    func aggregateAuditRecords(bucketSeconds: Int64) async throws -> Int

    func auditStatistics() async throws -> [AuditStatistic]

    /// Removes records whose `expireAt` is before `time`; returns how many.
    func purgeAuditRecords(expiredBefore time: Timestamp) async throws -> Int
}

/// Decisions of one user in one time bucket.
public struct AuditStatistic: Sendable, Hashable, Codable {
    /// The bucket's start, Unix seconds.
    public var bucket: Int64
    public var username: String
    public var allowed: Int64
    public var denied: Int64

    public init(bucket: Int64, username: String, allowed: Int64, denied: Int64) {
        self.bucket = bucket
        self.username = username
        self.allowed = allowed
        self.denied = denied
    }
}
