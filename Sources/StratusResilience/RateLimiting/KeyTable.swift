/// A map from keys to states that keeps at most `capacity` entries and,
/// when full, drops the least recently used one to make room (LRU).
///
/// The entries form a doubly linked list through array indices, newest
/// first, so a lookup, a move to the front and an eviction are O(1). Once
/// the table is full it allocates nothing more.
struct KeyTable<State> {
    private struct Entry {
        var key: String
        var state: State
        var newer: Int
        var older: Int
    }

    let capacity: Int
    private var slots: [String: Int] = [:]
    private var entries: [Entry] = []
    private var newest = -1
    private var oldest = -1

    init(capacity: Int) {
        precondition(capacity >= 1, "invalid key table capacity \(capacity): expected at least 1")
        self.capacity = capacity
    }

    var count: Int { entries.count }

    func contains(_ key: String) -> Bool {
        slots[key] != nil
    }

    /// Runs `body` on the state of `key`, made by `create` when the key is
    /// new. A new key in a full table replaces the least recently used one.
    @inline(__always)
    mutating func withState<Result>(
        for key: String,
        create: () -> State,
        _ body: (inout State) -> Result
    ) -> Result {
        let index = slot(for: key, create: create)
        return body(&entries[index].state)
    }

    private mutating func slot(for key: String, create: () -> State) -> Int {
        if let index = slots[key] {
            moveToFront(index)
            return index
        }
        let index: Int
        if entries.count < capacity {
            index = entries.count
            entries.append(Entry(key: key, state: create(), newer: -1, older: -1))
        } else {
            index = oldest
            unlink(index)
            slots.removeValue(forKey: entries[index].key)
            entries[index].key = key
            entries[index].state = create()
        }
        slots[key] = index
        linkAtFront(index)
        return index
    }

    private mutating func moveToFront(_ index: Int) {
        guard index != newest else { return }
        unlink(index)
        linkAtFront(index)
    }

    private mutating func unlink(_ index: Int) {
        let newer = entries[index].newer
        let older = entries[index].older
        if newer >= 0 { entries[newer].older = older } else { newest = older }
        if older >= 0 { entries[older].newer = newer } else { oldest = newer }
    }

    private mutating func linkAtFront(_ index: Int) {
        entries[index].newer = -1
        entries[index].older = newest
        if newest >= 0 { entries[newest].newer = index }
        newest = index
        if oldest < 0 { oldest = index }
    }
}
