public import IAMHTTP

/// The source of an authorization server's secrets and policies and of the
/// notices that they changed.
///
/// The first implementation calls the API server: a snapshot over HTTP and a
/// long poll of its change log. Another source (an event bus subscription)
/// only has to deliver the same batches.
public protocol ChangeSource: Sendable {
    /// Reads every secret and policy with the revision they were read at.
    func snapshot() async throws -> AuthorizationSnapshot

    /// Returns the changes after `revision`, waiting a while when there are
    /// none yet; an empty batch means none arrived in that time.
    func changes(after revision: Int64) async throws -> ChangeBatch
}
