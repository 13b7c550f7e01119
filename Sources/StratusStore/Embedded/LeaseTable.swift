/// The live leases and their deadlines on the store's monotonic clock.
struct LeaseTable {
    struct Lease {
        var ttl: Int64
        /// Nanoseconds on the store clock after which the lease expires.
        var deadline: UInt64
        var keys: Set<[UInt8]> = []
    }

    private(set) var leases: [Int64: Lease] = [:]
    /// Deadlines in a min-heap. A renewal pushes a new entry and leaves the
    /// old one, which `expired(at:)` skips because it no longer matches.
    private var deadlines = DeadlineHeap()

    subscript(id: Int64) -> Lease? {
        leases[id]
    }

    mutating func grant(_ id: Int64, ttl: Int64, now: UInt64) {
        let deadline = now &+ UInt64(ttl) &* 1_000_000_000
        leases[id] = Lease(ttl: ttl, deadline: deadline)
        deadlines.push(deadline, id)
    }

    /// Renews a lease to its full TTL; false when the lease does not exist.
    mutating func renew(_ id: Int64, now: UInt64) -> Bool {
        guard let ttl = leases[id]?.ttl else { return false }
        let deadline = now &+ UInt64(ttl) &* 1_000_000_000
        leases[id]?.deadline = deadline
        deadlines.push(deadline, id)
        return true
    }

    mutating func remove(_ id: Int64) -> Lease? {
        leases.removeValue(forKey: id)
    }

    mutating func attach(_ key: [UInt8], to id: Int64) {
        leases[id]?.keys.insert(key)
    }

    mutating func detach(_ key: [UInt8], from id: Int64) {
        leases[id]?.keys.remove(key)
    }

    /// Pops and returns the leases whose deadline is at or before `now`.
    mutating func expired(at now: UInt64) -> [Int64] {
        var ids: [Int64] = []
        while let (deadline, id) = deadlines.peek(), deadline <= now {
            deadlines.pop()
            if let lease = leases[id], lease.deadline == deadline {
                ids.append(id)
            }
        }
        return ids
    }
}

/// A binary min-heap of (deadline, lease id).
struct DeadlineHeap {
    private var entries: [(deadline: UInt64, id: Int64)] = []

    func peek() -> (UInt64, Int64)? {
        entries.first.map { ($0.deadline, $0.id) }
    }

    mutating func push(_ deadline: UInt64, _ id: Int64) {
        entries.append((deadline, id))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        guard !entries.isEmpty else { return }
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count && entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
