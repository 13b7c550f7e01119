import StratusStore

/// Reads the gateway's JSON requests into the store's types: the mirror of
/// `EtcdEncoder`, with etcd v3's proto field names (etcdserverpb in rpc.proto).
///
/// Decoding checks the JSON types only. The handlers check the values with
/// `RequestValidation` afterwards, as the store would.
enum GatewayRequestDecoder {
    /// Reads `key` and `range_end`. An empty `range_end` means the one key,
    /// `\0` means every key from `key` on, and `key` `\0` with `range_end`
    /// `\0` means every key.
    static func keys(_ fields: RequestFields) throws(GatewayError) -> KeyRange {
        let start = try fields.bytes("key")
        let end = try fields.bytes("range_end")
        return KeyRange(start: start, end: end.isEmpty ? nil : end)
    }

    static func range(_ fields: RequestFields) throws(GatewayError) -> RangeQuery {
        var query = RangeQuery(RangeRequest(
            try keys(fields),
            limit: try count(fields, "limit"),
            revision: try fields.int64("revision"),
            keysOnly: try fields.bool("keys_only"),
            countOnly: try fields.bool("count_only")
        ))
        _ = try fields.bool("serializable")
        query.sortOrder = RangeQuery.SortOrder(rawValue: try fields.enumeration("sort_order", names: RangeQuery.sortOrderNames)) ?? .none
        query.sortTarget = RangeQuery.SortTarget(rawValue: try fields.enumeration("sort_target", names: RangeQuery.sortTargetNames)) ?? .key
        query.minModRevision = try fields.int64("min_mod_revision")
        query.maxModRevision = try fields.int64("max_mod_revision")
        query.minCreateRevision = try fields.int64("min_create_revision")
        query.maxCreateRevision = try fields.int64("max_create_revision")
        return query
    }

    static func put(_ fields: RequestFields) throws(GatewayError) -> PutRequest {
        for flag in ["ignore_value", "ignore_lease"] where try fields.bool(flag) {
            throw .unsupported(fields.fieldPath(flag), "this server writes the value and lease sent; send them with the put")
        }
        return PutRequest(
            key: try fields.bytes("key"),
            value: try fields.bytes("value"),
            lease: try lease(fields, "lease"),
            previousKeyValue: try fields.bool("prev_kv")
        )
    }

    static func delete(_ fields: RequestFields) throws(GatewayError) -> DeleteRequest {
        DeleteRequest(try keys(fields), previousKeyValues: try fields.bool("prev_kv"))
    }

    /// Reads an optional lease id: 0 means none.
    static func lease(_ fields: RequestFields, _ name: String) throws(GatewayError) -> LeaseID? {
        let id = try fields.int64(name)
        return id == 0 ? nil : LeaseID(id)
    }

    /// Reads an int64 count that must fit in `Int`, such as a limit.
    private static func count(_ fields: RequestFields, _ name: String) throws(GatewayError) -> Int {
        let value = try fields.int64(name)
        guard let count = Int(exactly: value) else {
            throw .invalidField(fields.fieldPath(name), .integer(value), expected: "a count that fits this platform's integers")
        }
        return count
    }
}
