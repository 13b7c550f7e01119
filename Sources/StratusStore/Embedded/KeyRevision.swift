/// One revision of a key in memory. A version of 0 marks a delete (a tombstone).
struct KeyRevision {
    var modRevision: Int64
    var createRevision: Int64
    var version: Int64
    var value: [UInt8]
    /// The lease id, 0 when the key has none.
    var lease: Int64

    var isTombstone: Bool { version == 0 }

    static func tombstone(at revision: Int64) -> KeyRevision {
        KeyRevision(modRevision: revision, createRevision: 0, version: 0, value: [], lease: 0)
    }

    func keyValue(_ key: [UInt8], valueIncluded: Bool = true) -> KeyValue {
        KeyValue(
            key: key,
            value: valueIncluded ? value : [],
            createRevision: createRevision,
            modRevision: modRevision,
            version: version,
            lease: lease == 0 ? nil : LeaseID(lease)
        )
    }
}

/// The revisions of one key still kept, oldest first.
struct KeyHistory {
    var revisions: [KeyRevision]

    /// Returns the key's state at `revision`, nil when it did not exist then.
    func state(at revision: Int64) -> KeyRevision? {
        var index = revisions.count - 1
        while index >= 0 && revisions[index].modRevision > revision {
            index -= 1
        }
        guard index >= 0, !revisions[index].isTombstone else { return nil }
        return revisions[index]
    }

    /// The key's newest state, nil when it is deleted.
    var latest: KeyRevision? {
        guard let last = revisions.last, !last.isTombstone else { return nil }
        return last
    }

    /// Drops revisions below `compactRevision` except the one in effect at
    /// it. Returns false when nothing is left to keep, so the key can go.
    mutating func compact(below compactRevision: Int64) -> Bool {
        var keepFrom = 0
        while keepFrom + 1 < revisions.count && revisions[keepFrom + 1].modRevision <= compactRevision {
            keepFrom += 1
        }
        if keepFrom > 0 {
            revisions.removeFirst(keepFrom)
        }
        if revisions.count == 1, revisions[0].isTombstone, revisions[0].modRevision <= compactRevision {
            return false
        }
        return true
    }
}

/// A change in the event log that watches read from.
struct StoredEvent {
    var key: [UInt8]
    /// The key after the change; a tombstone for a delete.
    var current: KeyRevision
    var previous: KeyRevision?

    var revision: Int64 { current.modRevision }

    func watchEvent(previousIncluded: Bool) -> WatchEvent {
        WatchEvent(
            kind: current.isTombstone ? .delete : .put,
            keyValue: current.keyValue(key),
            previous: previousIncluded ? previous?.keyValue(key) : nil
        )
    }
}

/// The changes since the compacted revision, oldest first.
struct EventLog {
    private var events: [StoredEvent] = []

    var isEmpty: Bool { events.isEmpty }
    var firstRevision: Int64? { events.first?.revision }

    mutating func append(_ event: StoredEvent) {
        events.append(event)
    }

    /// Returns the index of the first event at or after `revision`.
    func firstIndex(atOrAfter revision: Int64) -> Int {
        var low = 0
        var high = events.count
        while low < high {
            let middle = (low + high) / 2
            if events[middle].revision < revision {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    var endIndex: Int { events.count }

    subscript(index: Int) -> StoredEvent { events[index] }

    /// Drops events below `revision`.
    mutating func removeEvents(below revision: Int64) {
        let count = firstIndex(atOrAfter: revision)
        if count > 0 {
            events.removeFirst(count)
        }
    }
}
