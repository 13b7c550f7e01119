public import IAMModel

public protocol UserStore: Sendable {
    /// Stores a new user, assigning its id, and returns it as stored.
    /// - Throws: `StorageError` `duplicate` when the name is taken, by an
    ///   enabled or a disabled user.
    func createUser(_ user: User) async throws -> User

    /// Returns the user of that name, enabled or not, with `totalPolicy`.
    func user(named name: String) async throws -> User?

    /// Replaces `nickname`, `email`, `phone` and `extend` of the user named
    /// `user.name`, sets `updatedAt`, and returns the stored user, or nil
    /// when there is no such user.
    func updateUser(_ user: User, at time: Timestamp) async throws -> User?

    /// Replaces the password hash; returns false when there is no such user.
    func setPasswordHash(_ hash: String, forUser name: String, at time: Timestamp) async throws -> Bool

    func recordLogin(ofUser name: String, at time: Timestamp) async throws

    /// Lists enabled users, newest first.
    func listUsers(_ query: ListQuery) async throws -> ResourceList<User>

    /// Deletes the named users in one transaction, with their secrets and
    /// policies (archived), records change events for each deleted owner,
    /// and returns the names that existed.
    func deleteUsers(named names: [String], at time: Timestamp) async throws -> [String]

    /// Sets `status` to `0` for enabled users whose last login is before
    /// `time`; returns how many.
    func disableUsers(lastLoginBefore time: Timestamp, at now: Timestamp) async throws -> Int
}
