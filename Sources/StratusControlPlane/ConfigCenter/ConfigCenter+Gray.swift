import Foundation
public import StratusConfig
import StratusDiscovery
import StratusStore

extension ConfigCenter {
    /// Validates the draft and publishes it as a gray release: instances
    /// that match the selector see it, every other instance keeps the main
    /// release.
    ///
    /// - Throws: `ConfigCenterError`: `invalidArgument` for an empty or
    ///   malformed selector, `conflict` while another gray release is in
    ///   progress, `invalidContent` when the draft fails validation.
    public func startGray(_ namespace: NamespaceCoordinates, _ request: GrayStartRequest) async throws(ConfigCenterError) -> Release {
        try Self.validate(author: request.author)
        try Self.validate(selector: request.selector, namespace: namespace)
        return try await release(namespace, action: "gray release") { (snapshot) throws(ConfigCenterError) in
            if let gray = snapshot.head.gray {
                throw ConfigCenterError(.conflict, "namespace \(namespace) already has gray release \(gray.release) in progress; promote or abandon it first", namespace: namespace)
            }
            try await validateDraft(snapshot, namespace, action: "start a gray release of")
            var head = snapshot.head
            head.latestRelease += 1
            let time = now()
            head.gray = ReleaseHead.Gray(release: head.latestRelease, selector: request.selector, startedAt: time, startedBy: request.author)
            let record = ReleaseRecord(
                number: head.latestRelease, kind: .gray, author: request.author, comment: request.comment, createdAt: time,
                content: snapshot.draft.content, gray: request.selector
            )
            return Planned(record: record, head: head, audit: .grayStart, detail: "gray release to \(request.selector): \(request.comment)")
        }
    }

    /// Makes the gray release in progress the main release, for every instance.
    public func promoteGray(_ namespace: NamespaceCoordinates, _ request: GrayDecisionRequest) async throws(ConfigCenterError) -> ReleaseHead {
        try await decideGray(namespace, request, action: .grayPromote) { head, gray in
            head.mainRelease = gray.release
        }
    }

    /// Ends the gray release in progress: its instances return to the main
    /// release.
    public func abandonGray(_ namespace: NamespaceCoordinates, _ request: GrayDecisionRequest) async throws(ConfigCenterError) -> ReleaseHead {
        try await decideGray(namespace, request, action: .grayAbandon) { head, gray in
            head.abandonedReleases.append(gray.release)
        }
    }

    private func decideGray(
        _ namespace: NamespaceCoordinates,
        _ request: GrayDecisionRequest,
        action: AuditEntry.Action,
        change: (inout ReleaseHead, ReleaseHead.Gray) -> Void
    ) async throws(ConfigCenterError) -> ReleaseHead {
        try Self.validate(author: request.author)
        for _ in 0..<Self.maximumAttempts {
            let snapshot = try await self.snapshot(namespace)
            guard let gray = snapshot.head.gray else {
                throw ConfigCenterError(.conflict, "namespace \(namespace) has no gray release in progress; start one with `stratus config gray start`", namespace: namespace)
            }
            var head = snapshot.head
            change(&head, gray)
            head.gray = nil
            let time = now()
            let verb = action == .grayPromote ? "promoted to every instance" : "abandoned"
            let audit = AuditEntry(time: time, author: request.author, action: action, namespace: namespace, release: gray.release, detail: "gray release \(gray.release) \(verb)\(request.comment.isEmpty ? "" : ": " + request.comment)")
            let written = try await commit(
                unchanged: [Compare(key: ConfigKeys.head(namespace), .modRevision(snapshot.headRevision), .equal)],
                puts: [(ConfigKeys.head(namespace), try encode(head)), (ConfigKeys.newAuditEntry(namespace, at: time), try encode(audit))]
            )
            if written { return head }
            await Self.backOff()
        }
        throw Self.conflictExhausted(namespace, "gray decision")
    }

    static func validate(selector: GraySelector, namespace: NamespaceCoordinates) throws(ConfigCenterError) {
        guard !selector.isEmpty else {
            throw ConfigCenterError(.invalidArgument, "the gray selector for \(namespace) is empty; give labels such as track=canary or instance ids", namespace: namespace)
        }
        for id in selector.instances {
            do {
                try ServiceInstance.validateInstanceID(id)
            } catch {
                throw ConfigCenterError(.invalidArgument, "invalid instance id in the gray selector for \(namespace): \(error)", namespace: namespace)
            }
        }
        for (key, value) in selector.labels where key.isEmpty || key.count > 63 || value.count > 255 {
            throw ConfigCenterError(.invalidArgument, "invalid gray selector label \(key)=\(value) for \(namespace); expected a key of 1 to 63 characters and a value of at most 255", namespace: namespace)
        }
    }
}
