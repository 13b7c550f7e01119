public import IAMHTTP
import IAMModel
public import IAMStorage

/// Stores the audit records that reach the pump, whatever carried them:
/// today the HTTP route, later an event-bus consumer.
///
/// Storing is idempotent by record id, so a batch delivered twice (a
/// retried POST, an at-least-once bus) is stored once.
public struct AuditIntake: Sendable {
    let store: any AuditStore
    let filter: AuditFilter

    public init(store: any AuditStore, filter: AuditFilter) {
        self.store = store
        self.filter = filter
    }

    /// Filters the batch and stores what remains; returns how many records
    /// were new.
    public func accept(_ batch: AuditBatch) async throws -> Int {
        try await store.insertAuditRecords(batch.records.compactMap(filter.apply))
    }
}

/// The pump's record options, as upstream's pump has them.
public struct AuditFilter: Sendable {
    /// Blank `policies` and `deciders` before storing.
    public var omitDetailedRecording: Bool
    /// When not empty, keep only these users' records.
    public var usernames: Set<String>
    /// Drop these users' records.
    public var skipUsernames: Set<String>

    public init(omitDetailedRecording: Bool = false, usernames: Set<String> = [], skipUsernames: Set<String> = []) {
        self.omitDetailedRecording = omitDetailedRecording
        self.usernames = usernames
        self.skipUsernames = skipUsernames
    }

    func apply(_ record: AuditRecord) -> AuditRecord? {
        guard usernames.isEmpty || usernames.contains(record.username), !skipUsernames.contains(record.username) else { return nil }
        var record = record
        if omitDetailedRecording {
            record.policies = ""
            record.deciders = ""
        }
        return record
    }
}
