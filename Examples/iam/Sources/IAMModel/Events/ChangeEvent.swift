/// A committed change to secrets or policies, which authorization servers
/// apply to their in-memory copies.
///
/// The API server records one event per successful write, in the same
/// transaction, and numbers them with an increasing `revision`, so a
/// consumer resumes after the last revision it saw and drops stale events.
/// Delivery is at least once: consumers must be idempotent.
public struct ChangeEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case policyChanged = "PolicyChanged"
        case secretChanged = "SecretChanged"
    }

    public enum Operation: String, Sendable, Codable {
        case create, update, delete
    }

    public var revision: Int64
    public var kind: Kind
    public var operation: Operation
    /// The owner's username.
    public var owner: String
    /// The affected resource names; several for a delete-collection.
    public var names: [String]
    /// For secrets, the affected `secretID`s, so consumers can evict them.
    public var secretIDs: [String]
    public var timestamp: Timestamp

    public init(
        revision: Int64 = 0, kind: Kind, operation: Operation, owner: String, names: [String], secretIDs: [String] = [],
        timestamp: Timestamp
    ) {
        self.revision = revision
        self.kind = kind
        self.operation = operation
        self.owner = owner
        self.names = names
        self.secretIDs = secretIDs
        self.timestamp = timestamp
    }
}
