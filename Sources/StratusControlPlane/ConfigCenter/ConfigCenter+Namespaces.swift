import Foundation
public import StratusConfig
import StratusStore

extension ConfigCenter {
    /// Creates a namespace with an empty draft and no release.
    ///
    /// - Throws: `ConfigCenterError`: `conflict` when it exists,
    ///   `invalidArgument` for a bad name, author or schema.
    public func createNamespace(_ namespace: NamespaceCoordinates, _ request: CreateNamespaceRequest) async throws(ConfigCenterError) -> NamespaceInfo {
        try namespace.validate()
        try Self.validate(author: request.author)
        if let schema = request.schema {
            _ = try ContentValidator.parseSchema(schema, namespace: namespace)
        }
        let time = now()
        let meta = NamespaceRecord(format: request.format, schema: request.schema, createdAt: time, createdBy: request.author)
        let draft = DraftRecord(content: .empty(request.format), updatedAt: time, updatedBy: request.author)
        let audit = AuditEntry(time: time, author: request.author, action: .createNamespace, namespace: namespace, detail: "format \(request.format.rawValue)\(request.schema == nil ? "" : " with a schema")")
        let created = try await commit(
            unchanged: [Compare(key: ConfigKeys.meta(namespace), .version(0), .equal)],
            puts: [
                (ConfigKeys.meta(namespace), try encode(meta)),
                (ConfigKeys.draft(namespace), try encode(draft)),
                (ConfigKeys.head(namespace), try encode(ReleaseHead())),
                (ConfigKeys.newAuditEntry(namespace, at: time), try encode(audit)),
            ]
        )
        guard created else {
            throw ConfigCenterError(.conflict, "namespace \(namespace) already exists; edit its draft instead", namespace: namespace)
        }
        return NamespaceInfo(namespace: namespace, format: meta.format, schema: meta.schema, createdAt: time, createdBy: request.author, head: ReleaseHead(), draftChanged: false)
    }

    /// Attaches a JSON Schema that the next publishes must pass, or removes
    /// it. Releases already published are not checked again.
    public func setSchema(_ namespace: NamespaceCoordinates, _ request: SetSchemaRequest) async throws(ConfigCenterError) -> NamespaceInfo {
        try Self.validate(author: request.author)
        if let schema = request.schema {
            _ = try ContentValidator.parseSchema(schema, namespace: namespace)
        }
        for _ in 0..<Self.maximumAttempts {
            let snapshot = try await self.snapshot(namespace)
            var meta = snapshot.meta
            meta.schema = request.schema
            let time = now()
            let audit = AuditEntry(time: time, author: request.author, action: .setSchema, namespace: namespace, detail: request.schema == nil ? "schema removed" : "schema set")
            let written = try await commit(
                unchanged: [Compare(key: ConfigKeys.meta(namespace), .modRevision(snapshot.metaRevision), .equal)],
                puts: [(ConfigKeys.meta(namespace), try encode(meta)), (ConfigKeys.newAuditEntry(namespace, at: time), try encode(audit))]
            )
            if written {
                return try await info(namespace)
            }
            await Self.backOff()
        }
        throw Self.conflictExhausted(namespace, "schema change")
    }

    /// Returns the namespace's settings, head and whether its draft differs
    /// from the main release.
    public func info(_ namespace: NamespaceCoordinates) async throws(ConfigCenterError) -> NamespaceInfo {
        let snapshot = try await self.snapshot(namespace)
        return NamespaceInfo(
            namespace: namespace,
            format: snapshot.meta.format,
            schema: snapshot.meta.schema,
            createdAt: snapshot.meta.createdAt,
            createdBy: snapshot.meta.createdBy,
            head: snapshot.head,
            draftChanged: try await draftDiffers(snapshot, namespace)
        )
    }

    /// Returns the namespaces of an application's environment, sorted.
    public func namespaces(application: String, environment: String) async throws(ConfigCenterError) -> NamespaceList {
        try NamespaceCoordinates.validate(name: application, part: "application")
        try NamespaceCoordinates.validate(name: environment, part: "environment")
        let heads: RangeResponse
        do {
            heads = try await store.range(RangeRequest(.prefix(ConfigKeys.headsPrefix(application: application, environment: environment)), keysOnly: true))
        } catch {
            throw Self.storeFailure(error)
        }
        var infos: [NamespaceInfo] = []
        for key in heads.keyValues {
            guard let namespace = ConfigKeys.parseHead(key.key) else { continue }
            do {
                infos.append(try await info(namespace))
            } catch where error.code == .notFound {
                continue
            }
        }
        return NamespaceList(application: application, environment: environment, namespaces: infos.sorted { $0.namespace < $1.namespace })
    }

    /// Whether the draft differs from the main release, or is not empty
    /// before the first release.
    func draftDiffers(_ snapshot: Snapshot, _ namespace: NamespaceCoordinates) async throws(ConfigCenterError) -> Bool {
        guard snapshot.head.mainRelease > 0 else {
            return snapshot.draft.content != .empty(snapshot.meta.format)
        }
        let main = try await releaseRecord(namespace, snapshot.head.mainRelease)
        return main.content.comparable != snapshot.draft.content.comparable
    }

    /// Reads one release record.
    func releaseRecord(_ namespace: NamespaceCoordinates, _ number: Int) async throws(ConfigCenterError) -> ReleaseRecord {
        let keyValue: KeyValue?
        do {
            keyValue = try await store.get(ConfigKeys.release(namespace, number))
        } catch {
            throw Self.storeFailure(error)
        }
        guard let keyValue else {
            throw ConfigCenterError(.notFound, "namespace \(namespace) has no release \(number); list its releases with `stratus config history`", namespace: namespace)
        }
        return try decode(ReleaseRecord.self, keyValue)
    }
}
