import Foundation
import StratusConfig

/// The config center's key layout in the store, all under `/stratus/config/`:
///
/// | key | value |
/// |---|---|
/// | `namespaces/<app>/<env>/<ns>/meta` | `NamespaceRecord`: format, schema, creation |
/// | `namespaces/<app>/<env>/<ns>/draft` | `DraftRecord`: the content the next publish releases |
/// | `namespaces/<app>/<env>/<ns>/releases/<number>` | `ReleaseRecord`, number zero-padded to 10 digits; written once |
/// | `heads/<app>/<env>/<ns>` | `ReleaseHead`: the main and gray release; the key instances' watches follow |
/// | `instances/<app>/<env>/<ns>/<instance>` | `InstanceReport`: the last release an instance applied or refused |
/// | `audit/<app>/<env>/<ns>/<nanoseconds>-<random>` | `AuditEntry` |
///
/// Heads have a prefix of their own so that the one store watch that feeds
/// every instance's stream sees only head changes, not drafts, audit
/// entries or reports.
enum ConfigKeys {
    static let root = "/stratus/config/"
    static let headsRoot = root + "heads/"
    static let auditRoot = root + "audit/"

    static func namespacePrefix(_ namespace: NamespaceCoordinates) -> String {
        root + "namespaces/\(namespace)/"
    }

    static func environmentPrefix(application: String, environment: String) -> String {
        root + "namespaces/\(application)/\(environment)/"
    }

    static func meta(_ namespace: NamespaceCoordinates) -> String {
        namespacePrefix(namespace) + "meta"
    }

    static func draft(_ namespace: NamespaceCoordinates) -> String {
        namespacePrefix(namespace) + "draft"
    }

    static func releasesPrefix(_ namespace: NamespaceCoordinates) -> String {
        namespacePrefix(namespace) + "releases/"
    }

    static func release(_ namespace: NamespaceCoordinates, _ number: Int) -> String {
        releasesPrefix(namespace) + String(format: "%010d", number)
    }

    static func head(_ namespace: NamespaceCoordinates) -> String {
        headsRoot + "\(namespace)"
    }

    static func headsPrefix(application: String, environment: String) -> String {
        headsRoot + "\(application)/\(environment)/"
    }

    static func instancesPrefix(_ namespace: NamespaceCoordinates) -> String {
        root + "instances/\(namespace)/"
    }

    static func instance(_ namespace: NamespaceCoordinates, _ id: String) -> String {
        instancesPrefix(namespace) + id
    }

    /// A new audit key: the time in nanoseconds since 1970, zero-padded so
    /// keys sort by time, and a random suffix so two entries of one
    /// nanosecond differ.
    static func newAuditEntry(_ namespace: NamespaceCoordinates, at time: Date) -> String {
        let nanoseconds = UInt64(max(0, time.timeIntervalSince1970) * 1_000_000_000)
        return auditRoot + "\(namespace)/" + String(format: "%020llu", nanoseconds) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// The namespace a head key names, nil for another key.
    static func parseHead(_ key: [UInt8]) -> NamespaceCoordinates? {
        let text = String(decoding: key, as: UTF8.self)
        guard text.hasPrefix(headsRoot) else { return nil }
        let parts = text.dropFirst(headsRoot.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return NamespaceCoordinates(application: String(parts[0]), environment: String(parts[1]), namespace: String(parts[2]))
    }
}
