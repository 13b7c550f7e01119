/// The names and messages of etcd v3's gateway protocol (etcdserverpb in
/// etcd 3.4's rpc.proto, and the errors of its rpctypes package) that both
/// sides of the protocol share: `EtcdStore`, which sends requests, and the
/// control plane's gateway server, which serves them.
package enum GatewayVocabulary {
    /// `Compare.CompareResult` names, indexed by their proto number.
    package static let compareResults: [(result: Compare.Result, name: String)] = [
        (.equal, "EQUAL"), (.greater, "GREATER"), (.less, "LESS"), (.notEqual, "NOT_EQUAL"),
    ]

    /// `Compare.CompareTarget` names, indexed by their proto number.
    package static let compareTargets = ["VERSION", "CREATE", "MOD", "VALUE", "LEASE"]

    /// The field of `Compare` that contains the value for each target, in the
    /// order of `compareTargets`.
    package static let compareTargetFields = ["version", "create_revision", "mod_revision", "value", "lease"]

    /// `Event.EventType` names, indexed by their proto number.
    package static let eventTypes = ["PUT", "DELETE"]

    /// etcd's message when a read, watch or compaction requests a revision
    /// below the compacted one (gRPC code 11, OutOfRange).
    package static let compactedMessage = "etcdserver: mvcc: required revision has been compacted"

    /// etcd's message when a read or compaction requests a revision above
    /// the current one (gRPC code 11, OutOfRange).
    package static let futureRevisionMessage = "etcdserver: mvcc: required revision is a future revision"

    /// etcd's message when a lease does not exist (gRPC code 5, NotFound).
    package static let leaseNotFoundMessage = "etcdserver: requested lease not found"

    /// etcd's message when a grant names a lease id in use (gRPC code 9,
    /// FailedPrecondition).
    package static let leaseExistsMessage = "etcdserver: lease already exists"

    /// etcd's message when a write was not committed in time (gRPC code 14,
    /// Unavailable). The write may still apply.
    package static let requestTimedOutMessage = "etcdserver: request timed out"

    /// Returns the name of a compare result.
    package static func name(of result: Compare.Result) -> String {
        compareResults.first { $0.result == result }?.name ?? "EQUAL"
    }
}
