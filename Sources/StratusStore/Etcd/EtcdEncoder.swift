/// Builds the gateway's JSON for each request, with etcd v3's proto field
/// names (etcdserverpb in rpc.proto).
enum EtcdEncoder {
    static func range(_ request: RangeRequest) -> [String: Any] {
        var object = keys(request.keys)
        if request.limit > 0 {
            object["limit"] = GatewayJSON.int64(Int64(request.limit))
        }
        if request.revision > 0 {
            object["revision"] = GatewayJSON.int64(request.revision)
        }
        object["keys_only"] = request.keysOnly
        object["count_only"] = request.countOnly
        return object
    }

    static func put(_ request: PutRequest) -> [String: Any] {
        var object: [String: Any] = [
            "key": GatewayJSON.base64(request.key),
            "value": GatewayJSON.base64(request.value),
            "prev_kv": request.previousKeyValue,
        ]
        if let lease = request.lease {
            object["lease"] = GatewayJSON.int64(lease.rawValue)
        }
        return object
    }

    static func delete(_ request: DeleteRequest) -> [String: Any] {
        var object = keys(request.keys)
        object["prev_kv"] = request.previousKeyValues
        return object
    }

    static func transaction(_ request: TransactionRequest) -> [String: Any] {
        [
            "compare": request.compare.map(compare),
            "success": request.success.map(operation),
            "failure": request.failure.map(operation),
        ]
    }

    static func watchCreate(_ request: WatchRequest, startRevision: Int64) -> [String: Any] {
        var create = keys(request.keys)
        create["start_revision"] = GatewayJSON.int64(startRevision)
        create["prev_kv"] = request.previousKeyValues
        create["progress_notify"] = true
        return ["create_request": create]
    }

    /// Returns the `key` and `range_end` fields of a range. etcd reads an
    /// empty key as missing, so "every key" is sent as key `\0` with range
    /// end `\0`.
    static func keys(_ range: KeyRange) -> [String: Any] {
        let end = range.end
        let start = range.start.isEmpty && end == [0] ? [0] : range.start
        var object: [String: Any] = ["key": GatewayJSON.base64(start)]
        if let end {
            object["range_end"] = GatewayJSON.base64(end)
        }
        return object
    }

    private static func operation(_ operation: TransactionOperation) -> [String: Any] {
        switch operation {
        case .range(let request): ["request_range": range(request)]
        case .put(let request): ["request_put": put(request)]
        case .delete(let request): ["request_delete_range": delete(request)]
        }
    }

    private static func compare(_ compare: Compare) -> [String: Any] {
        var object: [String: Any] = [
            "key": GatewayJSON.base64(compare.key),
            "result": GatewayVocabulary.name(of: compare.result),
        ]
        let (target, value): (Int, Any) = switch compare.target {
        case .version(let version): (0, GatewayJSON.int64(version))
        case .createRevision(let revision): (1, GatewayJSON.int64(revision))
        case .modRevision(let revision): (2, GatewayJSON.int64(revision))
        case .value(let value): (3, GatewayJSON.base64(value))
        case .lease(let lease): (4, GatewayJSON.int64(lease?.rawValue ?? 0))
        }
        object["target"] = GatewayVocabulary.compareTargets[target]
        object[GatewayVocabulary.compareTargetFields[target]] = value
        return object
    }
}
