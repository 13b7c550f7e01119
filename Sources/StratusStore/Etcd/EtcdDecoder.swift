/// Reads the gateway's JSON responses into the store's types.
enum EtcdDecoder {
    static func range(_ object: GatewayObject) throws(StoreError) -> RangeResponse {
        var keyValues: [KeyValue] = []
        for item in object.objects("kvs") {
            keyValues.append(try keyValue(item))
        }
        return RangeResponse(
            revision: try object.headerRevision(),
            keyValues: keyValues,
            count: Int(try object.int64("count")),
            more: object.bool("more")
        )
    }

    static func put(_ object: GatewayObject) throws(StoreError) -> PutResponse {
        PutResponse(
            revision: try object.headerRevision(),
            previous: try object.object("prev_kv").map { (item) throws(StoreError) in try keyValue(item) }
        )
    }

    static func delete(_ object: GatewayObject) throws(StoreError) -> DeleteResponse {
        var previous: [KeyValue] = []
        for item in object.objects("prev_kvs") {
            previous.append(try keyValue(item))
        }
        return DeleteResponse(
            revision: try object.headerRevision(),
            deleted: Int(try object.int64("deleted")),
            previous: previous
        )
    }

    static func transaction(_ object: GatewayObject) throws(StoreError) -> TransactionResponse {
        var responses: [TransactionOperationResponse] = []
        for item in object.objects("responses") {
            responses.append(try operationResponse(item))
        }
        return TransactionResponse(
            succeeded: object.bool("succeeded"),
            revision: try object.headerRevision(),
            responses: responses
        )
    }

    /// Decodes one key of a range, a previous value or a watch event. A
    /// deleted key in a watch event has only its key and `mod_revision`.
    static func keyValue(_ object: GatewayObject) throws(StoreError) -> KeyValue {
        let lease = try object.int64("lease")
        return KeyValue(
            key: try object.bytes("key"),
            value: try object.bytes("value"),
            createRevision: try object.int64("create_revision"),
            modRevision: try object.int64("mod_revision"),
            version: try object.int64("version"),
            lease: lease == 0 ? nil : LeaseID(lease)
        )
    }

    static func watchEvent(_ object: GatewayObject) throws(StoreError) -> WatchEvent {
        let kind: WatchEvent.Kind = object.string("type") == "DELETE" ? .delete : .put
        guard let current = object.object("kv") else {
            throw StoreError(.unavailable, "watch event without a key from the etcd gateway")
        }
        return WatchEvent(
            kind: kind,
            keyValue: try keyValue(current),
            previous: try object.object("prev_kv").map { (item) throws(StoreError) in try keyValue(item) }
        )
    }

    /// Decodes a transaction's result for one operation, an object with
    /// exactly one of `response_range`, `response_put` or `response_delete_range`.
    private static func operationResponse(_ object: GatewayObject) throws(StoreError) -> TransactionOperationResponse {
        if let range = object.object("response_range") {
            return .range(try self.range(range))
        }
        if let put = object.object("response_put") {
            return .put(try self.put(put))
        }
        if let delete = object.object("response_delete_range") {
            return .delete(try self.delete(delete))
        }
        let names = object.fields.keys.sorted().joined(separator: ", ")
        throw StoreError(.unavailable, "unsupported transaction response from the etcd gateway, with fields: \(names)")
    }
}
