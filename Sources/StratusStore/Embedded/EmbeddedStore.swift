import Synchronization
public import StratusLog

/// The store in this process: MVCC in memory, keys without a lease synced to
/// SQLite before a write returns.
///
/// - Durability: a write returns after its revision, and every revision
///   before it, is on disk. Reads at the latest revision and watches never
///   show a write that is not on disk yet, so a crash cannot take back
///   anything a client saw. Keys with a lease are not stored on disk: they
///   belong to live processes, whose leases a restart ends.
/// - After a restart the revision continues from the last one written, and
///   history starts there, as if compacted.
/// - Leases expire on a monotonic clock, checked every `leaseCheckInterval`.
///
/// Thread safety: all state is behind one `Mutex`. Disk writes run on a
/// commit thread of their own, which batches the writes that arrive while
/// it syncs (group commit).
public final class EmbeddedStore: KeyValueStore {
    struct Shared {
        var mvcc: MVCCState
        /// Revisions up to here were handed to watchers.
        var published: Int64
        /// Watchers that receive new events as they are published.
        var watchers: [UInt64: EmbeddedWatcher] = [:]
        var nextWatcherID: UInt64 = 0
        var durabilityWaiters: [(revision: Int64, continuation: CheckedContinuation<Void, any Error>)] = []
        /// Set when a disk write failed or the store closed; every later call fails with it.
        var failure: StoreError?
    }

    let configuration: Configuration
    let logger: Logger
    let shared: Mutex<Shared>
    private let committer: CommitThread?
    let expiry: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Opens the store, loading the durable keys when `configuration.path`
    /// names an existing database.
    ///
    /// - Throws: `StoreError` with code `unavailable` when the database
    ///   cannot be opened or another process has it open.
    public init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "stratus.store")) throws {
        self.configuration = configuration
        self.logger = logger
        var storage: DurableStorage?
        if let path = configuration.path {
            storage = try DurableStorage(path: path)
            let snapshot = try storage!.load()
            shared = Mutex(Shared(mvcc: MVCCState(snapshot: snapshot), published: snapshot.revision))
            committer = CommitThread()
            logger.info("store opened", metadata: [
                "store.path": .string(path),
                "store.revision": .stringConvertible(snapshot.revision),
                "store.keys": .stringConvertible(snapshot.keyValues.count),
            ])
        } else {
            shared = Mutex(Shared(mvcc: MVCCState(persistent: false), published: 0))
            committer = nil
        }
        if let storage {
            committer?.start(store: self, storage: storage)
        }
        startLeaseExpiry()
    }

    public func range(_ request: RangeRequest) async throws -> RangeResponse {
        try RequestValidation.check(request)
        return try shared.withLock { shared throws(StoreError) in
            try shared.checkOpen()
            return try shared.mvcc.range(request)
        }
    }

    public func put(_ request: PutRequest) async throws -> PutResponse {
        try RequestValidation.check(request)
        return try await write { mvcc throws(StoreError) in
            let next = mvcc.beginWrite()
            let response = try mvcc.applyPut(request, at: next)
            mvcc.endWrite(at: next, changed: true)
            return response
        }
    }

    public func delete(_ request: DeleteRequest) async throws -> DeleteResponse {
        try RequestValidation.check(request)
        return try await write { mvcc in
            let next = mvcc.beginWrite()
            var response = mvcc.applyDelete(request, at: next)
            mvcc.endWrite(at: next, changed: response.deleted > 0)
            response.revision = mvcc.revision
            return response
        }
    }

    public func transaction(_ request: TransactionRequest) async throws -> TransactionResponse {
        try RequestValidation.check(request)
        return try await write { mvcc throws(StoreError) in
            try mvcc.applyTransaction(request)
        }
    }

    public func compact(revision: Int64) async throws {
        try RequestValidation.checkCompaction(revision)
        try shared.withLock { shared throws(StoreError) in
            try shared.checkOpen()
            try shared.mvcc.compact(revision)
        }
    }

    /// Applies a change in memory, publishes it when nothing goes to disk,
    /// and returns once the revision it produced or read is durable.
    func write<Result>(_ apply: (inout MVCCState) throws(StoreError) -> Result) async throws -> Result {
        let (result, revision) = try shared.withLock { shared throws(StoreError) in
            try shared.checkOpen()
            let result = try apply(&shared.mvcc)
            if committer == nil {
                publish(&shared)
            }
            return (result, shared.mvcc.revision)
        }
        if let committer {
            committer.signal()
            try await waitUntilDurable(revision)
        }
        return result
    }

    private func waitUntilDurable(_ revision: Int64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Bool, StoreError> = shared.withLock { shared in
                if let failure = shared.failure { return .failure(failure) }
                guard shared.mvcc.durableRevision < revision else { return .success(true) }
                shared.durabilityWaiters.append((revision, continuation))
                return .success(false)
            }
            switch outcome {
            case .success(true): continuation.resume()
            case .success(false): break
            case .failure(let error): continuation.resume(throwing: error)
            }
        }
    }

    /// Closes the store: later calls fail with `closed`, writes already
    /// accepted are flushed to disk, and watches end with `closed`.
    public func close() async {
        shared.withLock { shared in
            if shared.failure == nil {
                shared.failure = StoreError(.closed, "the store was closed")
            }
        }
        expiry.withLock { $0?.cancel() }
        await committer?.stop()
        let (watchers, waiters) = shared.withLock { shared in
            defer {
                shared.watchers = [:]
                shared.durabilityWaiters = []
            }
            return (Array(shared.watchers.values), shared.durabilityWaiters)
        }
        for watcher in watchers {
            watcher.fail(StoreError(.closed, "the store was closed"))
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: StoreError(.closed, "the store closed before the write was on disk; it may or may not be applied"))
        }
    }

    deinit {
        expiry.withLock { $0?.cancel() }
        committer?.requestStop()
    }
}

extension EmbeddedStore.Shared {
    func checkOpen() throws(StoreError) {
        if let failure { throw failure }
    }
}
