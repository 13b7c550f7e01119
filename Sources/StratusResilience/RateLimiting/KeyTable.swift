/// A map from keys to states that keeps at most `capacity` entries and,
/// when full, drops the least recently used one to make room (LRU).
///
/// The entries form a doubly linked list through array indices, newest
/// first, so a lookup, a move to the front and an eviction are O(1). The
/// keys are found through an open-addressing index (linear probing on the
/// key's stored hash), which hashes nothing again; Dictionary would hash
/// the stored hash once more on every lookup. The index doubles while the
/// table fills, so once the table is full it allocates nothing more.
struct KeyTable<State> {
    private struct Entry {
        var key: HashedKey
        var state: State
        var newer: Int
        var older: Int
    }

    let capacity: Int
    private var entries: [Entry] = []
    /// Slots of entry index + 1, or 0 when empty; a power of two in size,
    /// at least twice the entries, so probes stay short.
    private var slots: [Int32]
    private var newest = -1
    private var oldest = -1

    init(capacity: Int) {
        precondition(capacity >= 1 && capacity < Int(Int32.max / 2), "invalid key table capacity \(capacity): expected 1 to \(Int32.max / 2 - 1)")
        self.capacity = capacity
        slots = Array(repeating: 0, count: 16)
    }

    var count: Int { entries.count }

    /// Runs `body` on the state of `key`, made by `create` when the key is
    /// new. A new key in a full table replaces the least recently used one.
    @inline(__always)
    mutating func withState<Result>(
        for key: HashedKey,
        create: () -> State,
        _ body: (inout State) -> Result
    ) -> Result {
        let index = entry(for: key, create: create)
        return body(&entries[index].state)
    }

    private mutating func entry(for key: HashedKey, create: () -> State) -> Int {
        var slot = key.hash & (slots.count - 1)
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            if entries[index].key == key {
                moveToFront(index)
                return index
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        let index: Int
        if entries.count < capacity {
            index = entries.count
            entries.append(Entry(key: key, state: create(), newer: -1, older: -1))
            if entries.count * 2 > slots.count {
                grow()
                linkAtFront(index)
                return index
            }
            slots[slot] = Int32(index + 1)
        } else {
            index = oldest
            unlink(index)
            removeSlot(of: entries[index].key)
            entries[index].key = key
            entries[index].state = create()
            insertSlot(index)
        }
        linkAtFront(index)
        return index
    }

    /// Doubles the index and places every entry again.
    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for index in entries.indices {
            insertSlot(index)
        }
    }

    private mutating func insertSlot(_ index: Int) {
        var slot = entries[index].key.hash & (slots.count - 1)
        while slots[slot] != 0 {
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[slot] = Int32(index + 1)
    }

    /// Empties the slot of `key` and moves later entries of its probe run
    /// back into the hole, so lookups need no tombstones.
    private mutating func removeSlot(of key: HashedKey) {
        let mask = slots.count - 1
        var hole = key.hash & mask
        while entries[Int(slots[hole]) - 1].key != key {
            hole = (hole + 1) & mask
        }
        slots[hole] = 0
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = entries[Int(slots[next]) - 1].key.hash & mask
            // The entry may fill the hole unless its home slot lies after
            // the hole, cyclically, up to its own slot.
            let stays = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next)
            if !stays {
                slots[hole] = slots[next]
                slots[next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
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

/// A key with its hash computed once, which picks the shard and the
/// table's slot, so a lookup hashes the string one time.
struct HashedKey: Hashable {
    let text: String
    let hash: Int

    init(_ text: String) {
        self.text = text
        hash = text.hashValue
    }

    /// Creates a key with a chosen hash, for tests of collisions.
    init(text: String, hash: Int) {
        self.text = text
        self.hash = hash
    }

    static func == (lhs: HashedKey, rhs: HashedKey) -> Bool {
        lhs.hash == rhs.hash && lhs.text == rhs.text
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}
