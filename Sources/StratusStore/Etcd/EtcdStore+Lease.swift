extension EtcdStore {
    /// Grants a lease. Without an identifier it moves to another member when
    /// one fails, as etcd's clientv3 does: a grant that applied before the
    /// failure leaves an unused lease that expires after its TTL. With an
    /// identifier it is not sent again once it may have reached etcd, since
    /// a repeat would fail as the identifier is in use.
    public func grantLease(ttl: Int64, id: LeaseID?) async throws -> LeaseGrant {
        try RequestValidation.checkGrant(ttl: ttl, id: id)
        var body: [String: Any] = ["TTL": GatewayJSON.int64(ttl)]
        if let id {
            body["ID"] = GatewayJSON.int64(id.rawValue)
        }
        let response = try await post("/v3/lease/grant", body, retry: id == nil ? .repeatable : .atMostOnce)
        return LeaseGrant(id: LeaseID(try response.int64("ID")), ttl: try response.int64("TTL"))
    }

    /// Renews a lease once. etcd's keep-alive is a stream, and the gateway
    /// returns one `{"result": ...}` line for one request, where a TTL of 0
    /// means that the lease does not exist.
    public func keepAlive(_ lease: LeaseID) async throws -> Int64 {
        let response = try await leaseCall(lease) { () throws(StoreError) in
            try await post("/v3/lease/keepalive", ["ID": GatewayJSON.int64(lease.rawValue)], retry: .repeatable)
        }
        let ttl = try response.object("result")?.int64("TTL") ?? 0
        guard ttl > 0 else { throw Self.leaseNotFound(lease) }
        return ttl
    }

    /// Revokes a lease and deletes its keys in one revision. It moves to
    /// another member when one fails, as clientv3 does, so a revoke that
    /// applied before the failure reports `leaseNotFound` on its repeat.
    public func revokeLease(_ lease: LeaseID) async throws {
        _ = try await leaseCall(lease) { () throws(StoreError) in
            try await post("/v3/lease/revoke", ["ID": GatewayJSON.int64(lease.rawValue)], retry: .repeatable)
        }
    }

    /// Returns a lease's remaining and granted TTL, and its keys in ascending
    /// order when asked. etcd returns TTL -1 for a missing lease.
    public func leaseStatus(_ lease: LeaseID, includeKeys: Bool) async throws -> LeaseStatus {
        let body: [String: Any] = ["ID": GatewayJSON.int64(lease.rawValue), "keys": includeKeys]
        let response = try await leaseCall(lease) { () throws(StoreError) in
            try await post("/v3/lease/timetolive", body, retry: .repeatable)
        }
        let remaining = try response.int64("TTL")
        guard remaining >= 0 else { throw Self.leaseNotFound(lease) }
        let keys = try response.byteStrings("keys").sorted { $0.lexicographicallyPrecedes($1) }
        return LeaseStatus(id: lease, remainingTTL: remaining, grantedTTL: try response.int64("grantedTTL"), keys: keys)
    }

    /// Runs a lease request and names the lease in a `leaseNotFound` error.
    private func leaseCall(_ lease: LeaseID, _ body: () async throws(StoreError) -> GatewayObject) async throws(StoreError) -> GatewayObject {
        do {
            return try await body()
        } catch where error.code == .leaseNotFound {
            throw Self.leaseNotFound(lease)
        }
    }

    static func leaseNotFound(_ lease: LeaseID) -> StoreError {
        StoreError(.leaseNotFound, "lease \(lease) not found: it expired or was revoked; grant a new one")
    }
}
