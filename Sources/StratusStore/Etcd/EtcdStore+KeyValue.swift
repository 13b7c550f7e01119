extension EtcdStore {
    /// Reads keys, moving to another member when one fails.
    public func range(_ request: RangeRequest) async throws -> RangeResponse {
        try RequestValidation.check(request)
        let response = try await withCompactRevision { () throws(StoreError) in
            try await post("/v3/kv/range", EtcdEncoder.range(request), retry: .repeatable)
        }
        return try EtcdDecoder.range(response)
    }

    /// Writes one key. It is not sent again once it may have reached etcd.
    public func put(_ request: PutRequest) async throws -> PutResponse {
        try RequestValidation.check(request)
        let response = try await post("/v3/kv/put", EtcdEncoder.put(request), retry: .atMostOnce)
        return try EtcdDecoder.put(response)
    }

    /// Deletes the keys in a range. It is not sent again once it may have
    /// reached etcd.
    public func delete(_ request: DeleteRequest) async throws -> DeleteResponse {
        try RequestValidation.check(request)
        let response = try await post("/v3/kv/deleterange", EtcdEncoder.delete(request), retry: .atMostOnce)
        return try EtcdDecoder.delete(response)
    }

    /// Runs a transaction. One without writes moves to another member when
    /// one fails, but one with writes is not sent again once it may have
    /// reached etcd.
    public func transaction(_ request: TransactionRequest) async throws -> TransactionResponse {
        try RequestValidation.check(request)
        let retry: EtcdGateway.RetryPolicy = Self.writes(request) ? .atMostOnce : .repeatable
        let response = try await withCompactRevision { () throws(StoreError) in
            try await post("/v3/kv/txn", EtcdEncoder.transaction(request), retry: retry)
        }
        return try EtcdDecoder.transaction(response)
    }

    /// Compacts history up to `revision`. Compacting at or below the
    /// compacted revision fails with `compacted`, and above the current
    /// revision with `futureRevision`, as in etcd.
    public func compact(revision: Int64) async throws {
        try RequestValidation.checkCompaction(revision)
        _ = try await withCompactRevision { () throws(StoreError) in
            try await post("/v3/kv/compaction", ["revision": GatewayJSON.int64(revision)], retry: .atMostOnce)
        }
    }

    private static func writes(_ request: TransactionRequest) -> Bool {
        (request.success + request.failure).contains { operation in
            if case .range = operation { return false }
            return true
        }
    }
}
