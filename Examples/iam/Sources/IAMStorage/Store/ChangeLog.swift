public import IAMModel

/// The log of committed changes to secrets and policies.
public protocol ChangeLog: Sendable {
    /// Returns up to `limit` events with a revision above `revision`, oldest
    /// first.
    func changes(after revision: Int64, limit: Int) async throws -> [ChangeEvent]

    /// Returns the revision of the newest event, or 0 when there is none.
    func latestRevision() async throws -> Int64

    /// Removes events recorded before `time`; returns how many.
    func purgeChanges(before time: Timestamp) async throws -> Int
}
