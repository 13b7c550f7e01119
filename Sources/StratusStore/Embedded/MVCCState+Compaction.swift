extension MVCCState {
    /// Discards history below `revision`, keeping every key's state at it.
    mutating func compact(_ revision: Int64) throws(StoreError) {
        guard revision > compactedRevision else {
            throw StoreError(
                .compacted,
                "revision \(revision) was already compacted: history starts at \(compactedRevision)",
                compactRevision: compactedRevision
            )
        }
        guard revision <= durableRevision else {
            throw StoreError(.futureRevision, "cannot compact at revision \(revision): the store's current revision is \(durableRevision)")
        }
        setCompactedRevision(revision)
        events.removeEvents(below: revision)
        var removed: [[UInt8]] = []
        for index in histories.indices where !histories.values[index].compact(below: revision) {
            removed.append(histories.keys[index])
        }
        for key in removed {
            histories.removeValue(forKey: key)
            orderedKeys.remove(key)
        }
    }
}
