import Dispatch
import Foundation
import Glibc
import StratusNet
import StratusLog
import Synchronization

/// The thread that writes the embedded store's durable changes to SQLite.
///
/// Each pass takes every change queued since the last one and writes them in
/// one transaction with one sync (group commit), so concurrent writers share
/// the cost of `fsync`. A failed write stops the store, because memory now
/// has changes that the disk lacks: every later call fails with
/// `unavailable`, as etcd stops on a disk error.
final class CommitThread: Sendable {
    private struct State {
        /// Whether a wakeup is posted and not yet consumed, so that many
        /// writers arriving during one sync post one wakeup, not many.
        var wakeupPosted = false
        var stopping = false
        var stopped: CheckedContinuation<Void, Never>?
        var finished = false
    }

    private let wakeups = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    /// Starts the thread, which owns `storage` from then on and closes the
    /// database when it ends, so the file can be opened again after `stop`.
    func start(store: EmbeddedStore, storage: DurableStorage) {
        let transfer = StorageTransfer(storage: storage)
        let thread = Thread { [self, weak store] in
            run(store: { store }, storage: transfer.storage)
        }
        thread.name = "stratus-store-commit"
        thread.start()
    }

    /// Wakes the thread to write what is queued.
    func signal() {
        let post = state.withLock { state in
            defer { state.wakeupPosted = true }
            return !state.wakeupPosted
        }
        if post {
            wakeups.signal()
        }
    }

    /// Writes what is queued, then ends the thread.
    func stop() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                guard !state.finished else { return true }
                state.stopping = true
                state.stopped = continuation
                return false
            }
            if done {
                continuation.resume()
            } else {
                wakeups.signal()
            }
        }
    }

    /// Waits up to `gatherWindow` for as many writers as the last batch had.
    ///
    /// The writers of one batch are resumed together and send their next
    /// writes a few microseconds later. Without this pause the thread would
    /// sync the first of them alone and make the rest wait a whole sync.
    /// PostgreSQL's `commit_delay` follows the same idea. A lone writer
    /// (`expected` of 1) never waits.
    private func gather(_ store: EmbeddedStore, expected: Int) {
        let deadline = MonotonicClock.now() + Self.gatherWindow
        while store.waitingWriterCount() < expected && MonotonicClock.now() < deadline {
            sched_yield()
        }
    }

    /// The maximum pause of `gather`, in nanoseconds. It is meant to stay
    /// below the time of one sync, which is an estimate: 150 µs was measured
    /// on the benchmark machine in BENCHMARKS.md.
    private static let gatherWindow: UInt64 = 100_000

    /// Stops the thread without waiting, for a store released without `close`.
    func requestStop() {
        state.withLock { $0.stopping = true }
        wakeups.signal()
    }

    /// Runs the commit loop. It keeps a weak reference to the store so that
    /// a store released without `close` is freed, and `requestStop` then
    /// ends the loop.
    private func run(store currentStore: () -> EmbeddedStore?, storage: DurableStorage) {
        var lastBatch = 0
        while true {
            wakeups.wait()
            let stopping = state.withLock { state in
                state.wakeupPosted = false
                return state.stopping
            }
            guard let store = currentStore() else { break }
            if lastBatch > 1 && !stopping {
                gather(store, expected: lastBatch)
            }
            guard let (changes, revision) = store.takePendingChanges() else {
                if stopping { break }
                continue
            }
            do {
                try storage.write(changes, revision: revision)
                lastBatch = store.markDurable(revision)
            } catch {
                store.failCommit(error)
                break
            }
            if stopping { break }
        }
        storage.close()
        let stopped = state.withLock { state in
            state.finished = true
            return state.stopped
        }
        stopped?.resume()
    }
}

/// Moves the storage to the commit thread. Safe because the opening thread
/// never touches it after the move.
private struct StorageTransfer: @unchecked Sendable {
    let storage: DurableStorage
}

extension EmbeddedStore {
    /// Takes the durable changes queued since the last commit, with the
    /// revision they bring the disk to; nil when no revision is pending.
    func takePendingChanges() -> ([DurableStorage.Change], Int64)? {
        shared.withLock { shared in
            guard shared.mvcc.revision > shared.mvcc.durableRevision else { return nil }
            defer { shared.mvcc.pendingChanges.removeAll(keepingCapacity: true) }
            return (shared.mvcc.pendingChanges, shared.mvcc.revision)
        }
    }

    /// Returns the number of writes applied in memory and waiting for the disk.
    func waitingWriterCount() -> Int {
        shared.withLock { $0.durabilityWaiters.count }
    }

    /// Publishes revisions up to `revision`, resumes the writes waiting for
    /// them, and returns how many it resumed.
    @discardableResult
    func markDurable(_ revision: Int64) -> Int {
        let ready = shared.withLock { shared in
            shared.mvcc.durableRevision = revision
            publish(&shared)
            compactIfDue(&shared)
            var ready: [CheckedContinuation<Void, any Error>] = []
            shared.durabilityWaiters.removeAll { waiter in
                guard waiter.revision <= revision else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for continuation in ready {
            continuation.resume()
        }
        return ready.count
    }

    func failCommit(_ error: StoreError) {
        logger.critical("store write to disk failed; the store stops", metadata: ["error": .string(error.message)])
        let failure = StoreError(.unavailable, "the store stopped after a disk write failed: \(error.message); restart it once the disk is fixed")
        let (waiters, watchers) = shared.withLock { shared in
            shared.failure = failure
            defer {
                shared.durabilityWaiters = []
                shared.watchers = [:]
            }
            return (shared.durabilityWaiters, Array(shared.watchers.values))
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: failure)
        }
        for watcher in watchers {
            watcher.fail(failure)
        }
    }

    /// Compacts history older than `historyRetention` revisions once it has
    /// grown a tenth past that, so compaction runs in occasional steps.
    func compactIfDue(_ shared: inout Shared) {
        let retention = configuration.historyRetention
        guard retention > 0 else { return }
        let mvcc = shared.mvcc
        let target = mvcc.durableRevision - retention
        guard target - mvcc.compactedRevision > max(retention / 10, 1) else { return }
        try? shared.mvcc.compact(target)
    }
}
