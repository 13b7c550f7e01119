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

    /// Returns the last revision the relay `name` published, or 0.
    func relayPosition(_ name: String) async throws -> Int64

    /// Records that the relay `name` published every event up to `revision`.
    func setRelayPosition(_ name: String, to revision: Int64) async throws
}
