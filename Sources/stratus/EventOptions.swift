import StratusControlPlane
import StratusEvents

/// The `--events-*` options of `stratus controlplane`.
struct EventOptions {
    var directory: String?
    var syncEveryCommit = true
    var retention = EventRetention()

    mutating func parse(_ name: String, _ value: String) throws {
        switch name {
        case "--events-dir":
            guard !value.isEmpty else { throw UsageError("invalid --events-dir: expected a directory") }
            directory = value
        case "--events-sync":
            guard value == "full" || value == "normal" else {
                throw UsageError("invalid --events-sync \(value): expected full or normal")
            }
            syncEveryCommit = value == "full"
        case "--events-max-age":
            guard let seconds = Int64(value), seconds >= 1 else {
                throw UsageError("invalid --events-max-age \(value): expected whole seconds, at least 1")
            }
            retention.maxAge = .seconds(seconds)
        default:
            guard let bytes = Int64(value), bytes >= 1024 else {
                throw UsageError("invalid --events-max-bytes \(value): expected bytes, at least 1024")
            }
            retention.maxBytes = bytes
        }
    }

    /// The broker's configuration: the store's default place unless
    /// `--events-dir` gave one; nil when the broker is off.
    func configuration(for store: StoreSpec) -> EventBrokerConfiguration? {
        guard var configuration = directory.map({ EventBrokerConfiguration(directory: $0) }) ?? store.defaultEvents else {
            return nil
        }
        configuration.retention = retention
        configuration.syncEveryCommit = syncEveryCommit
        return configuration
    }
}
