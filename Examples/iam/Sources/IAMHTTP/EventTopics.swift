/// The event-bus topics of the IAM services.
public enum EventTopics {
    /// `ChangeEvent`s of secrets and policies, keyed by owner, which the API
    /// server relays from its change log.
    public static let changes = "iam.changes"
    /// `AuditBatch`es from authorization servers, consumed by the pumps as
    /// the group `auditGroup`.
    public static let audit = "iam.audit"
    public static let auditGroup = "iam-pump"
}
