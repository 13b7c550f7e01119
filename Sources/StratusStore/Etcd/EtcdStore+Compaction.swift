extension EtcdStore {
    /// Runs `body` and adds the compacted revision to a `compacted` error,
    /// which etcd's range and compaction errors do not carry.
    func withCompactRevision<Result>(_ body: () async throws(StoreError) -> Result) async throws(StoreError) -> Result {
        do {
            return try await body()
        } catch where error.code == .compacted && error.compactRevision == nil {
            guard let revision = await compactedRevision() else { throw error }
            throw StoreError(
                .compacted,
                "etcd compacted its history up to revision \(revision), which covers the revision requested; use revision \(revision) or later",
                compactRevision: revision
            )
        }
    }

    /// Returns etcd's compacted revision, or nil when it cannot be learned.
    ///
    /// etcd reports it only to a watch: one from revision 1 is cancelled at
    /// once with the compacted revision. This works whenever a request failed
    /// with `compacted`, because etcd then compacted above revision 1. The
    /// exception, compacting twice at revision 1, gets nil after one second.
    func compactedRevision() async -> Int64? {
        let closer = EtcdConnectionCloser()
        let message = EtcdEncoder.watchCreate(WatchRequest(.key([0])), startRevision: 1)
        let endpoint = gateway.endpoints[gateway.preferredIndex]
        let timer = Task {
            try? await Task.sleep(for: .seconds(1))
            closer.close()
        }
        defer {
            timer.cancel()
            closer.close()
        }
        guard var connection = try? await EtcdWatchConnection.open(
            message, at: endpoint, client: watches.client, timeout: configuration.requestTimeout, closer: closer
        ) else {
            return nil
        }
        while let message = try? await connection.nextMessage(), let result = message.object("result") {
            if result.bool("canceled") {
                return try? result.int64("compact_revision")
            }
            guard result.bool("created") else { return nil }
        }
        return nil
    }
}
