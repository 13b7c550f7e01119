import Foundation
public import StratusConfig
import StratusStore

extension ConfigCenter {
    /// Validates the draft and publishes it to every instance as the next
    /// release.
    ///
    /// - Throws: `ConfigCenterError`: `invalidContent` with the line and
    ///   reason when the draft does not parse or fails the schema (nothing
    ///   is published), `conflict` while a gray release is in progress.
    public func publish(_ namespace: NamespaceCoordinates, _ request: PublishRequest) async throws(ConfigCenterError) -> Release {
        try Self.validate(author: request.author)
        return try await release(namespace, action: "publish") { (snapshot) throws(ConfigCenterError) in
            if let gray = snapshot.head.gray {
                throw ConfigCenterError(
                    .conflict,
                    "namespace \(namespace) has gray release \(gray.release) in progress; promote or abandon it with `stratus config gray promote|abandon` before publishing",
                    namespace: namespace
                )
            }
            try await validateDraft(snapshot, namespace, action: "publish")
            let number = snapshot.head.latestRelease + 1
            var head = snapshot.head
            head.latestRelease = number
            head.mainRelease = number
            let record = ReleaseRecord(number: number, kind: .publish, author: request.author, comment: request.comment, createdAt: now(), content: snapshot.draft.content)
            return Planned(record: record, head: head, audit: .publish, detail: request.comment)
        }
    }

    /// Publishes an earlier release's content again as a new release, marks
    /// the release it replaces as rolled back, and resets the draft to the
    /// restored content so that the next publish does not bring the
    /// replaced change back.
    ///
    /// - Parameter request: `to` names the release to restore; nil restores
    ///   the newest release before the main one that was not rolled back or
    ///   abandoned.
    public func rollback(_ namespace: NamespaceCoordinates, _ request: RollbackRequest) async throws(ConfigCenterError) -> Release {
        try Self.validate(author: request.author)
        return try await release(namespace, action: "rollback") { (snapshot) throws(ConfigCenterError) in
            let head = snapshot.head
            if let gray = head.gray {
                throw ConfigCenterError(.conflict, "namespace \(namespace) has gray release \(gray.release) in progress; abandon it with `stratus config gray abandon` before rolling back", namespace: namespace)
            }
            guard head.mainRelease > 0 else {
                throw ConfigCenterError(.conflict, "namespace \(namespace) has no release to roll back; publish one first", namespace: namespace)
            }
            let target = try await rollbackTarget(namespace, head: head, requested: request.to)
            let restored = try await releaseRecord(namespace, target)
            var next = head
            next.latestRelease += 1
            next.mainRelease = next.latestRelease
            next.rolledBackReleases.append(head.mainRelease)
            let comment = request.comment.isEmpty ? "rollback to release \(target)" : request.comment
            let record = ReleaseRecord(number: next.latestRelease, kind: .rollback, author: request.author, comment: comment, createdAt: now(), content: restored.content, rollbackOf: target)
            return Planned(record: record, head: next, audit: .rollback, detail: "release \(head.mainRelease) rolled back to \(target): \(comment)", draft: restored.content)
        }
    }

    /// The release a rollback restores: the requested one, or the newest
    /// one below the main release (below the release it repeats, for a
    /// rollback) that was neither rolled back nor abandoned.
    private func rollbackTarget(_ namespace: NamespaceCoordinates, head: ReleaseHead, requested: Int?) async throws(ConfigCenterError) -> Int {
        if let requested {
            guard requested >= 1, requested <= head.latestRelease, requested != head.mainRelease else {
                throw ConfigCenterError(
                    .invalidArgument,
                    "cannot roll \(namespace) back to release \(requested); expected a release from 1 to \(head.latestRelease) other than the main release \(head.mainRelease)",
                    namespace: namespace
                )
            }
            return requested
        }
        let main = try await releaseRecord(namespace, head.mainRelease)
        let below = main.rollbackOf ?? main.number
        let excluded = Set(head.rolledBackReleases + head.abandonedReleases)
        guard let target = (1..<max(below, 1)).reversed().first(where: { !excluded.contains($0) }) else {
            throw ConfigCenterError(.conflict, "namespace \(namespace) has no earlier release to roll back to; give one with --to", namespace: namespace)
        }
        return target
    }

    /// A release that a change writes, with the head and draft after it.
    struct Planned: Sendable {
        var record: ReleaseRecord
        var head: ReleaseHead
        var audit: AuditEntry.Action
        var detail: String
        /// The new draft content, when the change resets the draft.
        var draft: StoredContent?
    }

    /// Plans a release from a snapshot and writes the release, the head, the
    /// audit entry and any draft reset in one transaction. The transaction
    /// fails, and the plan runs again on a new snapshot, when the head, the
    /// draft or the settings changed after they were read, or when the
    /// release number was taken.
    func release(
        _ namespace: NamespaceCoordinates,
        action: String,
        plan: (Snapshot) async throws(ConfigCenterError) -> Planned
    ) async throws(ConfigCenterError) -> Release {
        for _ in 0..<Self.maximumAttempts {
            let snapshot = try await self.snapshot(namespace)
            let planned = try await plan(snapshot)
            let time = planned.record.createdAt
            let audit = AuditEntry(time: time, author: planned.record.author, action: planned.audit, namespace: namespace, release: planned.record.number, detail: planned.detail)
            var puts: [(key: String, value: [UInt8])] = [
                (ConfigKeys.release(namespace, planned.record.number), try encode(planned.record)),
                (ConfigKeys.head(namespace), try encode(planned.head)),
                (ConfigKeys.newAuditEntry(namespace, at: time), try encode(audit)),
            ]
            if let content = planned.draft {
                puts.append((ConfigKeys.draft(namespace), try encode(DraftRecord(content: content, updatedAt: time, updatedBy: planned.record.author))))
            }
            let written = try await commit(
                unchanged: [
                    Compare(key: ConfigKeys.head(namespace), .modRevision(snapshot.headRevision), .equal),
                    Compare(key: ConfigKeys.draft(namespace), .modRevision(snapshot.draftRevision), .equal),
                    Compare(key: ConfigKeys.meta(namespace), .modRevision(snapshot.metaRevision), .equal),
                    Compare(key: ConfigKeys.release(namespace, planned.record.number), .version(0), .equal),
                ],
                puts: puts
            )
            if written {
                return planned.record.release(in: namespace, content: planned.record.content.masked)
            }
            await Self.backOff()
        }
        throw Self.conflictExhausted(namespace, action)
    }

    /// Checks that the draft parses and passes the namespace's schema, with
    /// secret values decrypted so the schema sees what instances will.
    func validateDraft(_ snapshot: Snapshot, _ namespace: NamespaceCoordinates, action: String) async throws(ConfigCenterError) {
        let schema = try snapshot.meta.schema.map { (text) throws(ConfigCenterError) in try ContentValidator.parseSchema(text, namespace: namespace) }
        let content = try snapshot.draft.content.revealed(with: secrets, in: namespace)
        try ContentValidator.validate(content, schema: schema, namespace: namespace, action: action)
    }
}
