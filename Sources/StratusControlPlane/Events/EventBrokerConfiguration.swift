public import StratusEvents

/// Settings of the control plane's embedded event broker.
public struct EventBrokerConfiguration: Sendable, Hashable {
    /// The directory of the broker's database, `events.db`; nil keeps
    /// everything in memory (for `--store memory` and tests).
    public var directory: String?
    /// How long and how much each topic keeps.
    public var retention = EventRetention()
    /// Whether every commit syncs the WAL to disk before a publish or ack
    /// returns (SQLite `synchronous=FULL`). Default true. When false
    /// (`NORMAL`), a returned publish survives a crash of the control plane
    /// but may be lost if the machine crashes.
    public var syncEveryCommit = true
    /// The most unacked deliveries of one group at once, over all members.
    /// Default 10,000.
    public var maxAckPending = 10_000
    /// How often retention by age runs. Default 1 s.
    public var retentionInterval: Duration = .seconds(1)

    public init(directory: String? = nil) {
        self.directory = directory
    }
}
