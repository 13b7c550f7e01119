public import IAMModel

/// The header that carries the shared token of the internal endpoints,
/// which only the IAM services call.
public let internalTokenHeader = "X-IAM-Internal-Token"

/// The data an authorization server decides with: every secret and every
/// policy, and the change revision they were read at. Any change committed
/// after the read has a higher revision.
public struct AuthorizationSnapshot: Codable, Sendable {
    public var revision: Int64
    public var secrets: [SecretEntry]
    public var policies: [PolicyEntry]

    public init(revision: Int64, secrets: [SecretEntry], policies: [PolicyEntry]) {
        self.revision = revision
        self.secrets = secrets
        self.policies = policies
    }
}

/// A secret as an authorization server keeps it.
public struct SecretEntry: Codable, Sendable, Hashable {
    public var secretID: String
    public var username: String
    public var secretKey: String
    public var expires: Int64

    public init(secretID: String, username: String, secretKey: String, expires: Int64) {
        self.secretID = secretID
        self.username = username
        self.secretKey = secretKey
        self.expires = expires
    }
}

/// A policy as an authorization server keeps it.
public struct PolicyEntry: Codable, Sendable, Hashable {
    public var username: String
    public var name: String
    public var policy: LadonPolicy

    public init(username: String, name: String, policy: LadonPolicy) {
        self.username = username
        self.name = name
        self.policy = policy
    }
}

/// The response of the change feed: events after the requested revision,
/// oldest first, and the newest revision the server knew.
public struct ChangeBatch: Codable, Sendable {
    public var revision: Int64
    public var events: [ChangeEvent]

    public init(revision: Int64, events: [ChangeEvent]) {
        self.revision = revision
        self.events = events
    }
}

/// A batch of audit records sent to the pump.
public struct AuditBatch: Codable, Sendable {
    public var records: [AuditRecord]

    public init(records: [AuditRecord]) {
        self.records = records
    }
}

/// The body of `GET /version`, in upstream's shape.
public struct VersionInfo: Codable, Sendable {
    public var gitVersion: String
    public var gitCommit: String
    public var gitTreeState: String
    public var buildDate: String
    public var goVersion: String
    public var compiler: String
    public var platform: String

    public init(version: String) {
        gitVersion = version
        gitCommit = ""
        gitTreeState = ""
        buildDate = ""
        goVersion = ""
        compiler = "swift"
        #if arch(arm64)
        platform = "linux/arm64"
        #else
        platform = "linux/amd64"
        #endif
    }
}
