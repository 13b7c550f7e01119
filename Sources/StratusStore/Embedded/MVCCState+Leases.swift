extension MVCCState {
    mutating func grantLease(ttl: Int64, id requested: Int64?, now: UInt64) throws(StoreError) -> LeaseGrant {
        let id: Int64
        if let requested {
            guard leases[requested] == nil else {
                throw StoreError.invalid("lease \(LeaseID(requested)) already exists: pick another id or let the store choose one")
            }
            id = requested
        } else {
            id = freeLeaseID()
        }
        leases.grant(id, ttl: ttl, now: now)
        return LeaseGrant(id: LeaseID(id), ttl: ttl)
    }

    /// A random unused id. Random rather than counted so that an id from
    /// before a restart, which a client may still renew, is unlikely to name
    /// a new lease.
    private func freeLeaseID() -> Int64 {
        while true {
            let id = Int64.random(in: 1...Int64.max)
            if leases[id] == nil { return id }
        }
    }

    mutating func renewLease(_ id: Int64, now: UInt64) throws(StoreError) -> Int64 {
        guard let lease = leases[id], lease.deadline > now, leases.renew(id, now: now) else {
            throw Self.leaseNotFound(id)
        }
        return lease.ttl
    }

    func leaseStatus(_ id: Int64, includeKeys: Bool, now: UInt64) throws(StoreError) -> LeaseStatus {
        guard let lease = leases[id], lease.deadline > now else {
            throw Self.leaseNotFound(id)
        }
        let remaining = (lease.deadline - now + 999_999_999) / 1_000_000_000
        let keys = includeKeys ? lease.keys.sorted { $0.lexicographicallyPrecedes($1) } : []
        return LeaseStatus(id: LeaseID(id), remainingTTL: Int64(remaining), grantedTTL: lease.ttl, keys: keys)
    }

    /// Ends a lease and deletes its keys, all in one revision. Returns false
    /// when the lease does not exist.
    mutating func revokeLease(_ id: Int64) -> Bool {
        guard let lease = leases.remove(id) else { return false }
        let next = beginWrite()
        var changed = false
        for key in lease.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let response = applyDelete(DeleteRequest(.key(key)), at: next)
            changed = changed || response.deleted > 0
        }
        endWrite(at: next, changed: changed)
        return true
    }

    /// Revokes every lease whose deadline has passed, one revision each.
    mutating func expireLeases(now: UInt64) -> Int {
        let expired = leases.expired(at: now)
        for id in expired {
            _ = revokeLease(id)
        }
        return expired.count
    }

    static func leaseNotFound(_ id: Int64) -> StoreError {
        StoreError(.leaseNotFound, "lease \(LeaseID(id)) not found: it expired or was revoked; grant a new lease")
    }
}
