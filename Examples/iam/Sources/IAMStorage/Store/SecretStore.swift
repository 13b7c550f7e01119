public import IAMModel

public protocol SecretStore: Sendable {
    /// Stores a new secret for `secret.username` and returns it as stored.
    /// - Throws: `StorageError` `limitReached` when the owner already has
    ///   `maxPerOwner` secrets (checked first), `duplicate` when the owner
    ///   has a secret of that name or the `secretID` is taken.
    func createSecret(_ secret: Secret, maxPerOwner: Int) async throws -> Secret

    func secret(owner: String, name: String) async throws -> Secret?

    /// Replaces `expires`, `description` and `extend`, sets `updatedAt`,
    /// and returns the stored secret, or nil when there is none.
    func updateSecret(owner: String, name: String, expires: Int64, description: String, extend: [String: JSONValue], at time: Timestamp) async throws -> Secret?

    /// Deletes the owner's named secrets and records a change event, even
    /// when nothing matched. Returns how many were deleted.
    @discardableResult
    func deleteSecrets(owner: String, names: [String], at time: Timestamp) async throws -> Int

    /// Lists the owner's secrets, newest first.
    func listSecrets(owner: String, _ query: ListQuery) async throws -> ResourceList<Secret>

    /// Returns every secret of every owner, for authorization servers.
    func allSecrets() async throws -> [Secret]

    /// Deletes secrets whose `expires` is at least 1 and before `unixSeconds`,
    /// with a change event per owner; returns how many.
    func deleteSecrets(expiredBefore unixSeconds: Int64, at time: Timestamp) async throws -> Int
}
