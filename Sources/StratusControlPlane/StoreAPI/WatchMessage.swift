import StratusStore

/// One message of a `/v3/watch` request body (`WatchRequest` in etcd's
/// rpc.proto): an object with one of `create_request`, `cancel_request`
/// or `progress_request`.
enum WatchMessage: Sendable {
    case create(WatchCreate)
    case cancel(watchID: Int64)
    case progress

    static func decode(_ fields: RequestFields) throws(GatewayError) -> WatchMessage {
        if let create = try fields.object("create_request") {
            return .create(try WatchCreate.decode(create))
        }
        if let cancel = try fields.object("cancel_request") {
            return .cancel(watchID: try cancel.int64("watch_id"))
        }
        if try fields.object("progress_request") != nil {
            return .progress
        }
        throw GatewayError(.invalidArgument, "invalid watch message: expected an object with one of create_request, cancel_request or progress_request, such as {\"create_request\": {\"key\": \"Zm9v\"}}")
    }
}

/// A `WatchCreateRequest`: the keys and start revision, and the options
/// that the gateway applies itself.
struct WatchCreate: Sendable {
    static let filterNames = ["NOPUT", "NODELETE"]

    var request: WatchRequest
    /// The id the client chose, or 0 for one the server assigns.
    var watchID: Int64
    var progressNotify: Bool
    var skipsPuts = false
    var skipsDeletes = false

    /// Reads and checks the request with `RequestValidation`. A
    /// `start_revision` of 0 means "after the current revision".
    static func decode(_ fields: RequestFields) throws(GatewayError) -> WatchCreate {
        let start = try fields.int64("start_revision")
        var create = WatchCreate(
            request: WatchRequest(
                try GatewayRequestDecoder.keys(fields),
                startRevision: start == 0 ? nil : start,
                previousKeyValues: try fields.bool("prev_kv")
            ),
            watchID: try fields.int64("watch_id"),
            progressNotify: try fields.bool("progress_notify")
        )
        _ = try fields.bool("fragment")
        for (index, filter) in try fields.array("filters").enumerated() {
            let path = "\(fields.fieldPath("filters"))[\(index)]"
            let kind = try RequestFields.enumeration(filter, path: path, names: filterNames)
            create.skipsPuts = create.skipsPuts || kind == 0
            create.skipsDeletes = create.skipsDeletes || kind == 1
        }
        do {
            try RequestValidation.checkWatch(create.request)
        } catch {
            throw GatewayError(error)
        }
        return create
    }

    /// Whether the client asked for this event, given its filters.
    func wants(_ event: WatchEvent) -> Bool {
        event.kind == .put ? !skipsPuts : !skipsDeletes
    }
}
