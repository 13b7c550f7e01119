/// One authorization decision, as the authorization server reports it to
/// the pump. The fields and their meanings are upstream's analytics
/// record, plus the request id and the deciding instance for tracing.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// A unique id, so a record delivered twice is stored once.
    public var id: String
    /// The decision time, Unix seconds.
    public var timestamp: Int64
    /// The access token's owner.
    public var username: String
    /// `allow` or `deny`.
    public var effect: String
    public var conclusion: String
    /// The request as compact JSON: `resource`, `action`, `subject`,
    /// `context` (with the injected `username`).
    public var request: String
    /// JSON array of all candidate policies.
    public var policies: String
    /// JSON array of the deciding policies; `[]` when none.
    public var deciders: String
    /// The decision time plus 36,500 days: a retention hint.
    public var expireAt: Timestamp
    public var requestID: String
    public var instance: String

    /// About 100 years, as upstream sets it.
    public static let retentionDays: Int64 = 36_500

    public init(
        id: String, timestamp: Int64, username: String, effect: String, conclusion: String, request: String,
        policies: String, deciders: String, expireAt: Timestamp, requestID: String, instance: String
    ) {
        self.id = id
        self.timestamp = timestamp
        self.username = username
        self.effect = effect
        self.conclusion = conclusion
        self.request = request
        self.policies = policies
        self.deciders = deciders
        self.expireAt = expireAt
        self.requestID = requestID
        self.instance = instance
    }

    /// Builds the record of a decision that ran the policy walk.
    public init(
        id: String, decision: Decision, request: AuthzRequest, policies: [LadonPolicy], now: Timestamp,
        requestID: String, instance: String
    ) {
        self.init(
            id: id,
            timestamp: now.unixSeconds,
            username: request.context["username"]?.stringValue ?? "",
            effect: decision.isAllowed ? "allow" : "deny",
            conclusion: decision.conclusion,
            request: JSONCoding.encodeToString(request),
            policies: JSONCoding.encodeToString(policies),
            deciders: JSONCoding.encodeToString(decision.deciders),
            expireAt: now.adding(seconds: Self.retentionDays * 86_400),
            requestID: requestID,
            instance: instance
        )
    }
}
