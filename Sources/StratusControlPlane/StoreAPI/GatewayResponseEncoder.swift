import StratusStore

/// Writes the store's responses in the gateway's JSON: the mirror of
/// `EtcdDecoder`, with etcd v3's proto field names and field order.
struct GatewayResponseEncoder: Sendable {
    let header: ResponseHeader

    func range(_ response: RangeResponse) -> JSONValue {
        var object = ResponseObject()
        object.set("header", header.object(revision: response.revision))
        Self.fillRange(&object, response)
        return object.value
    }

    func put(_ response: PutResponse) -> JSONValue {
        var object = ResponseObject()
        object.set("header", header.object(revision: response.revision))
        object.object("prev_kv", response.previous.map(Self.keyValue))
        return object.value
    }

    func delete(_ response: DeleteResponse) -> JSONValue {
        var object = ResponseObject()
        object.set("header", header.object(revision: response.revision))
        Self.fillDelete(&object, response)
        return object.value
    }

    /// Writes a transaction's response. The responses of its operations
    /// carry a header with the revision only, as etcd's do.
    func transaction(_ response: TransactionResponse) -> JSONValue {
        var object = ResponseObject()
        object.set("header", header.object(revision: response.revision))
        object.bool("succeeded", response.succeeded)
        object.array("responses", response.responses.map(Self.operationResponse))
        return object.value
    }

    /// Returns a response that carries only the header, such as a compaction's.
    func headerOnly(revision: Int64) -> JSONValue {
        var object = ResponseObject()
        object.set("header", header.object(revision: revision))
        return object.value
    }

    /// Writes one key. A deleted key in a watch event has only its key and
    /// `mod_revision`, because the other fields are zero and left out.
    static func keyValue(_ keyValue: KeyValue) -> JSONValue {
        var object = ResponseObject()
        object.bytes("key", keyValue.key)
        object.int64("create_revision", keyValue.createRevision)
        object.int64("mod_revision", keyValue.modRevision)
        object.int64("version", keyValue.version)
        object.bytes("value", keyValue.value)
        object.int64("lease", keyValue.lease?.rawValue ?? 0)
        return object.value
    }

    /// Writes one watch event. The type of a put (0) is left out, as etcd does.
    static func event(_ event: WatchEvent) -> JSONValue {
        var object = ResponseObject()
        if event.kind == .delete {
            object.set("type", .string(GatewayVocabulary.eventTypes[1]))
        }
        object.set("kv", keyValue(event.keyValue))
        object.object("prev_kv", event.previous.map(keyValue))
        return object.value
    }

    private static func operationResponse(_ response: TransactionOperationResponse) -> JSONValue {
        var nested = ResponseObject()
        let name: String
        switch response {
        case .range(let range):
            name = "response_range"
            nested.set("header", ResponseHeader.nested(revision: range.revision))
            fillRange(&nested, range)
        case .put(let put):
            name = "response_put"
            nested.set("header", ResponseHeader.nested(revision: put.revision))
            nested.object("prev_kv", put.previous.map(keyValue))
        case .delete(let delete):
            name = "response_delete_range"
            nested.set("header", ResponseHeader.nested(revision: delete.revision))
            fillDelete(&nested, delete)
        }
        var object = ResponseObject()
        object.set(name, nested.value)
        return object.value
    }

    private static func fillRange(_ object: inout ResponseObject, _ response: RangeResponse) {
        object.array("kvs", response.keyValues.map(keyValue))
        object.bool("more", response.more)
        object.int64("count", Int64(response.count))
    }

    private static func fillDelete(_ object: inout ResponseObject, _ response: DeleteResponse) {
        object.int64("deleted", Int64(response.deleted))
        object.array("prev_kvs", response.previous.map(keyValue))
    }
}
