import StratusLog
import Synchronization

extension EmbeddedStore {
    public func grantLease(ttl: Int64, id: LeaseID?) async throws -> LeaseGrant {
        try RequestValidation.checkGrant(ttl: ttl, id: id)
        let now = configuration.clock()
        return try shared.withLock { shared throws(StoreError) in
            try shared.checkOpen()
            return try shared.mvcc.grantLease(ttl: ttl, id: id?.rawValue, now: now)
        }
    }

    public func keepAlive(_ lease: LeaseID) async throws -> Int64 {
        let now = configuration.clock()
        return try shared.withLock { shared throws(StoreError) in
            try shared.checkOpen()
            return try shared.mvcc.renewLease(lease.rawValue, now: now)
        }
    }

    public func revokeLease(_ lease: LeaseID) async throws {
        try await write { mvcc throws(StoreError) in
            guard mvcc.revokeLease(lease.rawValue) else {
                throw MVCCState.leaseNotFound(lease.rawValue)
            }
        }
    }

    public func leaseStatus(_ lease: LeaseID, includeKeys: Bool) async throws -> LeaseStatus {
        let now = configuration.clock()
        return try shared.withLock { shared throws(StoreError) in
            try shared.checkOpen()
            return try shared.mvcc.leaseStatus(lease.rawValue, includeKeys: includeKeys, now: now)
        }
    }

    /// Revokes the leases whose deadline passed and returns how many.
    /// The expiry task calls it; tests with a manual clock call it directly.
    @discardableResult
    package func expireLeases() async throws -> Int {
        let now = configuration.clock()
        return try await write { mvcc in
            mvcc.expireLeases(now: now)
        }
    }

    func startLeaseExpiry() {
        let interval = configuration.leaseCheckInterval
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                do {
                    let expired = try await self.expireLeases()
                    if expired > 0 {
                        self.logger.debug("leases expired", metadata: ["lease.count": .stringConvertible(expired)])
                    }
                } catch {
                    return
                }
            }
        }
        expiry.withLock { $0 = task }
    }
}
