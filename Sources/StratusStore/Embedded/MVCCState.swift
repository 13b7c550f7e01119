/// The embedded store's in-memory state: every key's kept revisions, the
/// event log, the leases, and the durable changes not yet written.
///
/// A value type that the store keeps behind one `Mutex`; it does no I/O.
/// Writes apply at `revision` at once, but reads at the latest revision and
/// watches see only up to `durableRevision`, so nothing a crash can lose is
/// ever shown to a reader.
struct MVCCState {
    /// The newest revision applied in memory.
    private(set) var revision: Int64 = 0
    /// The newest revision on disk (equal to `revision` for a store that
    /// keeps nothing on disk).
    var durableRevision: Int64 = 0
    private(set) var compactedRevision: Int64 = 0

    var histories: [[UInt8]: KeyHistory] = [:]
    var orderedKeys = SortedKeys()
    var events = EventLog()
    var leases = LeaseTable()

    /// Changes to durable keys since the last write to disk, in revision order.
    var pendingChanges: [DurableStorage.Change] = []
    let persistent: Bool

    init(persistent: Bool) {
        self.persistent = persistent
    }

    /// Starts from what a restart found on disk: the history begins at the
    /// stored revision, as if compacted there.
    init(snapshot: DurableStorage.Snapshot) {
        persistent = true
        revision = snapshot.revision
        durableRevision = snapshot.revision
        compactedRevision = snapshot.revision
        for keyValue in snapshot.keyValues {
            let state = KeyRevision(
                modRevision: keyValue.modRevision,
                createRevision: keyValue.createRevision,
                version: keyValue.version,
                value: keyValue.value,
                lease: 0
            )
            histories[keyValue.key] = KeyHistory(revisions: [state])
            orderedKeys.insert(keyValue.key)
        }
    }

    /// Reads a range as clients see it: at `request.revision`, or at the
    /// durable revision when that is 0.
    func range(_ request: RangeRequest) throws(StoreError) -> RangeResponse {
        let revision = request.revision == 0 ? durableRevision : request.revision
        try checkReadable(revision)
        var response = rangeRead(request, at: revision)
        response.revision = durableRevision
        return response
    }

    /// Reads a range inside a transaction, at the newest state in memory.
    func rangeInTransaction(_ request: RangeRequest) throws(StoreError) -> RangeResponse {
        let revision = request.revision == 0 ? Int64.max : request.revision
        if request.revision != 0 {
            try checkReadable(revision)
        }
        var response = rangeRead(request, at: revision)
        response.revision = self.revision
        return response
    }

    func checkReadable(_ revision: Int64) throws(StoreError) {
        guard revision >= compactedRevision else {
            throw StoreError(
                .compacted,
                "revision \(revision) was compacted: history starts at \(compactedRevision); read at a later revision or at 0 for the latest",
                compactRevision: compactedRevision
            )
        }
        guard revision <= durableRevision || revision == .max else {
            throw StoreError(.futureRevision, "revision \(revision) is ahead of the store's current revision \(durableRevision)")
        }
    }

    private func rangeRead(_ request: RangeRequest, at revision: Int64) -> RangeResponse {
        var keyValues: [KeyValue] = []
        var count = 0
        orderedKeys.forEach(in: request.keys) { key in
            guard let state = histories[key]?.state(at: revision) else { return true }
            count += 1
            if !request.countOnly && (request.limit == 0 || keyValues.count < request.limit) {
                keyValues.append(state.keyValue(key, valueIncluded: !request.keysOnly))
            }
            return true
        }
        return RangeResponse(revision: 0, keyValues: keyValues, count: count, more: keyValues.count < count && !request.countOnly)
    }

    /// The newest state of a key, including changes not yet durable.
    func latest(_ key: [UInt8]) -> KeyRevision? {
        histories[key]?.latest
    }

    /// Starts a write at the next revision.
    mutating func beginWrite() -> Int64 {
        revision + 1
    }

    /// Ends a write: moves the revision forward when the write changed a key.
    mutating func endWrite(at next: Int64, changed: Bool) {
        guard changed else { return }
        revision = next
        if !persistent {
            durableRevision = next
        }
    }

    mutating func setCompactedRevision(_ revision: Int64) {
        compactedRevision = revision
    }
}
