import Foundation
public import StratusConfig
import StratusDiscovery
import StratusStore

extension ConfigCenter {
    /// Returns every release, newest first, each with its state and the
    /// instances whose latest report names it.
    public func history(_ namespace: NamespaceCoordinates) async throws(ConfigCenterError) -> ReleaseHistory {
        let snapshot = try await self.snapshot(namespace)
        let records = try await list(ConfigKeys.releasesPrefix(namespace), as: ReleaseRecord.self)
        let reports = Dictionary(grouping: try await instanceReports(namespace), by: \.release)
        let summaries = records.sorted { $0.number > $1.number }.map { record in
            ReleaseSummary(
                release: record.release(in: namespace, content: record.content.masked),
                state: snapshot.head.state(of: record.number),
                instances: (reports[record.number] ?? []).sorted { $0.instance < $1.instance }
            )
        }
        return ReleaseHistory(namespace: namespace, head: snapshot.head, releases: summaries)
    }

    /// Returns one release, secret values masked.
    public func release(_ namespace: NamespaceCoordinates, number: Int) async throws(ConfigCenterError) -> Release {
        // Reads the namespace first, so a missing namespace is named as such.
        _ = try await snapshot(namespace)
        let record = try await releaseRecord(namespace, number)
        return record.release(in: namespace, content: record.content.masked)
    }

    /// Compares two versions of the namespace: release numbers, `draft`, or
    /// `none` (nothing, before the first release). `from` defaults to the
    /// main release and `to` to the draft.
    public func diff(_ namespace: NamespaceCoordinates, from: String?, to: String?) async throws(ConfigCenterError) -> ReleaseDiff {
        let snapshot = try await self.snapshot(namespace)
        let fromLabel = from ?? (snapshot.head.mainRelease > 0 ? "\(snapshot.head.mainRelease)" : "none")
        let toLabel = to ?? "draft"
        let old = try await content(namespace, label: fromLabel, snapshot: snapshot)
        let new = try await content(namespace, label: toLabel, snapshot: snapshot)
        return ContentDiffer.diff(from: old.comparable, to: new.comparable, fromLabel: fromLabel, toLabel: toLabel)
    }

    private func content(_ namespace: NamespaceCoordinates, label: String, snapshot: Snapshot) async throws(ConfigCenterError) -> StoredContent {
        switch label {
        case "draft":
            return snapshot.draft.content
        case "none", "0":
            return .empty(snapshot.meta.format)
        default:
            guard let number = Int(label), number > 0 else {
                throw ConfigCenterError(.invalidArgument, "invalid version \"\(label)\" to compare in \(namespace); expected a release number, draft or none", namespace: namespace)
            }
            return try await releaseRecord(namespace, number).content
        }
    }

    /// Returns the release an instance sees, with secret values decrypted,
    /// or nil when nothing is published to it.
    public func currentRelease(_ namespace: NamespaceCoordinates, instanceID: String, labels: [String: String]) async throws(ConfigCenterError) -> Release? {
        let snapshot = try await self.snapshot(namespace)
        let number = snapshot.head.visibleRelease(instanceID: instanceID, labels: labels)
        guard number > 0 else { return nil }
        return try await revealedRelease(namespace, number).release
    }

    /// Returns a release with secrets decrypted and its watch line, from the
    /// cache when an earlier call read it: releases never change.
    func revealedRelease(_ namespace: NamespaceCoordinates, _ number: Int) async throws(ConfigCenterError) -> CachedRelease {
        try await releaseCache.release(namespace, number) { () throws(ConfigCenterError) -> CachedRelease in
            let record = try await releaseRecord(namespace, number)
            let release = record.release(in: namespace, content: try record.content.revealed(with: secrets, in: namespace))
            return CachedRelease(release: release, eventLine: try encode(ConfigWatchEvent(type: .release, namespace: namespace.namespace, release: release)))
        }
    }

    /// Stores what an instance did with a release, replacing its earlier report.
    public func report(_ namespace: NamespaceCoordinates, _ report: InstanceReport) async throws(ConfigCenterError) {
        try namespace.validate()
        do {
            try ServiceInstance.validateInstanceID(report.instance)
        } catch {
            throw ConfigCenterError(.invalidArgument, "invalid instance id in the report for \(namespace): \(error)", namespace: namespace)
        }
        guard report.release >= 1 else {
            throw ConfigCenterError(.invalidArgument, "invalid release \(report.release) in the report of instance \(report.instance) for \(namespace); expected a release number from 1", namespace: namespace)
        }
        var stored = report
        stored.reportedAt = now()
        stored.reason = stored.reason.map { String($0.prefix(1000)) }
        do {
            _ = try await store.put(PutRequest(key: Array(ConfigKeys.instance(namespace, report.instance).utf8), value: try encode(stored)))
        } catch {
            throw Self.storeFailure(error)
        }
    }

    func instanceReports(_ namespace: NamespaceCoordinates) async throws(ConfigCenterError) -> [InstanceReport] {
        try await list(ConfigKeys.instancesPrefix(namespace), as: InstanceReport.self)
    }

    /// Decodes every key under a prefix, in key order.
    func list<Value: Decodable>(_ prefix: String, as type: Value.Type) async throws(ConfigCenterError) -> [Value] {
        let response: RangeResponse
        do {
            response = try await store.range(RangeRequest(.prefix(prefix)))
        } catch {
            throw Self.storeFailure(error)
        }
        var values: [Value] = []
        for keyValue in response.keyValues {
            values.append(try decode(type, keyValue))
        }
        return values
    }
}
