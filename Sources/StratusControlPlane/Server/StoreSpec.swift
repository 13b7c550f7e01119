import Foundation
public import StratusStore

/// Which store the control plane runs on, as `--store` spells it:
/// `embedded` (data under `.stratus/`), `embedded:DIR`, `memory` (nothing
/// kept on disk), or `etcd://host:port,host:port`.
public enum StoreSpec: Sendable, Hashable, CustomStringConvertible {
    case embedded(directory: String)
    case memory
    case etcd(endpoints: [String])

    public static let defaultDirectory = ".stratus"

    /// Parses the `--store` value, failing with a message that names it.
    public init(parsing text: String) throws(StoreError) {
        if text == "embedded" {
            self = .embedded(directory: Self.defaultDirectory)
        } else if text.hasPrefix("embedded:") {
            let directory = String(text.dropFirst("embedded:".count))
            guard !directory.isEmpty else {
                throw StoreError.invalid("invalid --store \(text): expected embedded:DIR with a directory")
            }
            self = .embedded(directory: directory)
        } else if text == "memory" {
            self = .memory
        } else if text.hasPrefix("etcd://") {
            let hosts = text.dropFirst("etcd://".count).split(separator: ",").map(String.init)
            guard !hosts.isEmpty else {
                throw StoreError.invalid("invalid --store \(text): expected etcd://host:port[,host:port...]")
            }
            self = .etcd(endpoints: hosts.map { "http://" + $0 })
        } else {
            throw StoreError.invalid("invalid --store \(text): expected embedded, embedded:DIR, memory or etcd://host:port[,host:port...]")
        }
    }

    public var description: String {
        switch self {
        case .embedded(let directory): "embedded:\(directory)"
        case .memory: "memory"
        case .etcd(let endpoints): "etcd://" + endpoints.map { $0.replacingOccurrences(of: "http://", with: "") }.joined(separator: ",")
        }
    }

    /// The event broker that goes with this store when none is configured:
    /// beside the embedded store's data, in memory for `memory`, and none
    /// for etcd, where NATS is the broker.
    public var defaultEvents: EventBrokerConfiguration? {
        switch self {
        case .embedded(let directory): EventBrokerConfiguration(directory: directory + "/events")
        case .memory: EventBrokerConfiguration(directory: nil)
        case .etcd: nil
        }
    }

    /// Opens the store, creating the embedded store's directory if needed.
    func open() throws -> any KeyValueStore {
        switch self {
        case .embedded(let directory):
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.unavailable, "cannot create the store directory \(directory): \(error.localizedDescription)")
            }
            return try EmbeddedStore(configuration: .init(path: directory + "/store.db"))
        case .memory:
            return try EmbeddedStore(configuration: .init(path: nil))
        case .etcd(let endpoints):
            return try EtcdStore(endpoints: endpoints)
        }
    }
}
