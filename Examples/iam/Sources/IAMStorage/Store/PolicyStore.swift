public import IAMModel

public protocol PolicyStore: Sendable {
    /// Stores a new policy for `policy.username` and returns it as stored.
    /// - Throws: `StorageError` `duplicate` when the owner has a policy of
    ///   that name.
    func createPolicy(_ policy: Policy) async throws -> Policy

    func policy(owner: String, name: String) async throws -> Policy?

    /// Replaces the rule and `extend`, sets `updatedAt`, and returns the
    /// stored policy, or nil when there is none.
    func updatePolicy(owner: String, name: String, rule: LadonPolicy, extend: [String: JSONValue], at time: Timestamp) async throws -> Policy?

    /// Deletes the owner's named policies in one transaction, archiving
    /// them, and records a change event even when nothing matched. Returns
    /// how many were deleted.
    @discardableResult
    func deletePolicies(owner: String, names: [String], at time: Timestamp) async throws -> Int

    /// Lists the owner's policies, newest first.
    func listPolicies(owner: String, _ query: ListQuery) async throws -> ResourceList<Policy>

    /// Returns every policy of every owner, newest first, for authorization
    /// servers.
    func allPolicies() async throws -> [Policy]

    /// Removes archived policies deleted before `time`; returns how many.
    func purgeArchivedPolicies(deletedBefore time: Timestamp) async throws -> Int

    /// Returns the number of archived policies, for tests and operators.
    func archivedPolicyCount() async throws -> Int
}
