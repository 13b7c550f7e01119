/// A key-value store with etcd's semantics: a global revision that every
/// write increments, per-key create and mod revisions and versions, leases,
/// watches from a revision, compare-and-swap transactions and compaction.
///
/// Two implementations pass one conformance suite: `EmbeddedStore`, in this
/// process with durable keys in SQLite, and `EtcdStore`, a client of an etcd
/// v3 cluster. Service discovery, configuration and leader election are
/// written against this protocol and run on either.
///
/// Every method may be called from any task. A write returns after it is
/// durable (for `EmbeddedStore`, after its keys without a lease are synced to
/// disk; for etcd, after the cluster committed it). Methods throw
/// `StoreError`.
public protocol KeyValueStore: Sendable {
    /// Reads keys, at the latest revision or at an earlier one not yet compacted.
    func range(_ request: RangeRequest) async throws -> RangeResponse

    /// Writes one key and returns the revision of the write.
    func put(_ request: PutRequest) async throws -> PutResponse

    /// Deletes the keys in a range.
    func delete(_ request: DeleteRequest) async throws -> DeleteResponse

    /// Checks conditions and runs one of two lists of operations atomically.
    func transaction(_ request: TransactionRequest) async throws -> TransactionResponse

    /// Grants a lease that lives `ttl` seconds unless kept alive.
    ///
    /// - Parameter id: the identifier to use, or nil for one the store picks.
    ///   An identifier in use fails with `invalidArgument`.
    func grantLease(ttl: Int64, id: LeaseID?) async throws -> LeaseGrant

    /// Renews a lease to its full time to live and returns that TTL in seconds.
    /// Throws `leaseNotFound` once the lease expired or was revoked.
    func keepAlive(_ lease: LeaseID) async throws -> Int64

    /// Ends a lease now and deletes its keys, in one revision.
    /// Throws `leaseNotFound` when the lease does not exist.
    func revokeLease(_ lease: LeaseID) async throws

    /// Returns a live lease's remaining time and, when asked, its keys.
    /// Throws `leaseNotFound` when the lease does not exist.
    func leaseStatus(_ lease: LeaseID, includeKeys: Bool) async throws -> LeaseStatus

    /// Starts a watch. Events arrive in revision order; see `WatchStream`.
    func watch(_ request: WatchRequest) -> WatchStream

    /// Discards history below `revision`: reads and watches at an earlier
    /// revision fail with `compacted` afterwards. The current value of every
    /// key stays.
    func compact(revision: Int64) async throws

    /// Releases connections, timers and watches. Watches end with `closed`.
    func close() async
}
