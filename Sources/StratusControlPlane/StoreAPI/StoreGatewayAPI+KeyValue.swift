import StratusHTTP
import StratusStore

extension StoreGatewayAPI {
    func registerKeyValue(on router: some RouterMethods) {
        router.post("/v3/kv/range") { request, _ in await unary(request, range) }
        router.post("/v3/kv/put") { request, _ in await unary(request, put) }
        router.post("/v3/kv/deleterange") { request, _ in await unary(request, delete) }
        router.post("/v3/kv/txn") { request, _ in await unary(request, transaction) }
        router.post("/v3/kv/compaction") { request, _ in await unary(request, compact) }
    }

    /// Serves `RangeRequest`: the keys of a range, with etcd's sort and
    /// revision filters applied by `RangeQuery`.
    @Sendable
    func range(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        let query = try GatewayRequestDecoder.range(fields)
        try validate { () throws(StoreError) in try RequestValidation.check(query.request) }
        let response = try await call { try await store.range(query.storeRequest) }
        return encoder.range(query.finish(response))
    }

    @Sendable
    func put(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        let request = try GatewayRequestDecoder.put(fields)
        try validate { () throws(StoreError) in try RequestValidation.check(request) }
        return encoder.put(try await call { try await store.put(request) })
    }

    @Sendable
    func delete(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        let request = try GatewayRequestDecoder.delete(fields)
        try validate { () throws(StoreError) in try RequestValidation.check(request) }
        return encoder.delete(try await call { try await store.delete(request) })
    }

    /// Serves `TxnRequest`. The range operations of the branch that ran get
    /// etcd's sort and filters applied to their responses.
    @Sendable
    func transaction(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        let plan = try GatewayRequestDecoder.transaction(fields)
        try validate { () throws(StoreError) in try plan.validate() }
        var response = try await call { try await store.transaction(plan.request) }
        var queries = (response.succeeded ? plan.successRanges : plan.failureRanges).makeIterator()
        response.responses = response.responses.map { operation in
            guard case .range(let range) = operation, let query = queries.next() else { return operation }
            return .range(query.finish(range))
        }
        return encoder.transaction(response)
    }

    /// Serves `CompactionRequest`. `physical` is accepted and ignored,
    /// because `KeyValueStore.compact(revision:)` has no such option.
    @Sendable
    func compact(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        let revision = try fields.int64("revision")
        _ = try fields.bool("physical")
        try validate { () throws(StoreError) in try RequestValidation.checkCompaction(revision) }
        try await call { try await store.compact(revision: revision) }
        return encoder.headerOnly(revision: try await currentRevision())
    }
}
