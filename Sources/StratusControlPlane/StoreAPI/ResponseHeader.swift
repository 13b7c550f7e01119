/// The `header` object of every response (`ResponseHeader` in etcd's
/// rpc.proto): the cluster and member ids, the raft term, and the store's
/// revision when the request was served.
///
/// A store behind this gateway has no raft cluster, so the ids and the term
/// are fixed values from `StoreGatewayAPI.Configuration`.
struct ResponseHeader: Sendable {
    var clusterID: UInt64
    var memberID: UInt64
    var raftTerm: UInt64

    func object(revision: Int64) -> JSONValue {
        var header = ResponseObject()
        header.uint64("cluster_id", clusterID)
        header.uint64("member_id", memberID)
        header.int64("revision", revision)
        header.uint64("raft_term", raftTerm)
        return header.value
    }

    /// The header of a response nested in a transaction's, which etcd fills
    /// with the revision only.
    static func nested(revision: Int64) -> JSONValue {
        var header = ResponseObject()
        header.int64("revision", revision)
        return header.value
    }
}
