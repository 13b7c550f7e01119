/// Shorthands for common single-key operations with string keys.
extension KeyValueStore {
    /// Returns one key, or nil when it does not exist.
    public func get(_ key: String, revision: Int64 = 0) async throws -> KeyValue? {
        try await range(RangeRequest(.key(key), revision: revision)).keyValues.first
    }

    /// Returns every key under a prefix, in ascending order.
    public func list(prefix: String, limit: Int = 0, revision: Int64 = 0) async throws -> RangeResponse {
        try await range(RangeRequest(.prefix(prefix), limit: limit, revision: revision))
    }

    /// Writes one key and returns the revision of the write.
    @discardableResult
    public func put(_ key: String, _ value: String, lease: LeaseID? = nil) async throws -> Int64 {
        try await put(PutRequest(key: key, value: value, lease: lease)).revision
    }

    /// Deletes one key and returns how many keys were deleted (0 or 1).
    @discardableResult
    public func delete(_ key: String) async throws -> Int {
        try await delete(DeleteRequest(.key(key))).deleted
    }

    /// Grants a lease with an identifier the store picks.
    public func grantLease(ttl: Int64) async throws -> LeaseGrant {
        try await grantLease(ttl: ttl, id: nil)
    }

    /// Watches every key under a prefix.
    public func watch(prefix: String, from startRevision: Int64? = nil, previousKeyValues: Bool = false) -> WatchStream {
        watch(WatchRequest(.prefix(prefix), startRevision: startRevision, previousKeyValues: previousKeyValues))
    }
}
