import Dispatch
import Foundation
import Glibc
import StratusEvents
import StratusNet
import StratusStore
import Synchronization

/// The thread that writes the broker's records to SQLite.
///
/// Each pass takes every record queued since the last one and writes them
/// in one transaction with one sync (group commit), so concurrent
/// publishers share the cost of `fsync`. Records are written in the order
/// they were queued, so a ticket is durable once every earlier one is.
/// A failed write stops the journal: every later wait fails with
/// `unavailable`, because memory now has records the disk lacks.
final class BrokerJournal: Sendable {
    private struct State {
        var records: [BrokerRecord] = []
        /// The ticket of the last record queued, and of the last one synced.
        var queuedTicket: UInt64 = 0
        var durableTicket: UInt64 = 0
        var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var failure: EventBusError?
        var wakeupPosted = false
        var stopping = false
        var stopped: CheckedContinuation<Void, Never>?
        var finished = false
    }

    private let wakeups = DispatchSemaphore(value: 0)
    private let state = Mutex(State())
    /// Whether a pass waits briefly for more writers before it commits;
    /// worth it only when each commit pays an fsync.
    private let gathers: Bool

    /// Starts the commit thread, which owns `storage` from then on.
    init(storage: BrokerStorage, gathers: Bool) {
        self.gathers = gathers
        let transfer = StorageHandoff(storage: storage)
        let thread = Thread { [self] in
            run(storage: transfer.storage)
        }
        thread.name = "stratus-events-commit"
        thread.start()
    }

    /// Queues records and returns their ticket; `wait(for:)` returns once
    /// they are on disk. Call it while holding the lock that ordered the
    /// records, so tickets follow that order.
    @discardableResult
    func enqueue(_ records: [BrokerRecord]) -> UInt64 {
        guard !records.isEmpty else { return state.withLock { $0.queuedTicket } }
        let (ticket, post) = state.withLock { state in
            state.records.append(contentsOf: records)
            state.queuedTicket += 1
            defer { state.wakeupPosted = true }
            return (state.queuedTicket, !state.wakeupPosted)
        }
        if post {
            wakeups.signal()
        }
        return ticket
    }

    /// Waits until the records of `ticket` are synced to disk.
    func wait(for ticket: UInt64) async throws(EventBusError) {
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Bool, EventBusError> = state.withLock { state in
                    if let failure = state.failure { return .failure(failure) }
                    if state.durableTicket >= ticket { return .success(true) }
                    state.waiters.append((ticket, continuation))
                    return .success(false)
                }
                switch outcome {
                case .failure(let error): continuation.resume(throwing: error)
                case .success(true): continuation.resume()
                case .success(false): break
                }
            }
        } catch let error as EventBusError {
            throw error
        } catch {
            throw EventBusError(.unavailable, "\(error)")
        }
    }

    /// Writes what is queued, then ends the thread and closes the database.
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

    private func run(storage: BrokerStorage) {
        var lastBatch = 0
        while true {
            wakeups.wait()
            let stopping = state.withLock { state in
                state.wakeupPosted = false
                return state.stopping
            }
            if gathers && lastBatch > 1 && !stopping {
                gather(expected: lastBatch)
            }
            let (records, ticket) = state.withLock { state in
                defer { state.records.removeAll(keepingCapacity: true) }
                return (state.records, state.queuedTicket)
            }
            if !records.isEmpty {
                do {
                    try storage.write(records)
                    lastBatch = markDurable(ticket)
                } catch {
                    fail(EventBusError(.unavailable, "the event broker stopped after a disk write failed: \(error.message); restart the control plane once the disk is fixed"))
                    break
                }
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

    /// Waits up to 100 µs for as many waiters as the last batch resumed, so
    /// that publishers resumed together share the next sync instead of the
    /// first of them syncing alone. The embedded store's commit thread does
    /// the same.
    private func gather(expected: Int) {
        let deadline = MonotonicClock.now() + 100_000
        while state.withLock({ $0.waiters.count }) < expected && MonotonicClock.now() < deadline {
            sched_yield()
        }
    }

    private func markDurable(_ ticket: UInt64) -> Int {
        let ready = state.withLock { state in
            state.durableTicket = ticket
            var ready: [CheckedContinuation<Void, any Error>] = []
            state.waiters.removeAll { waiter in
                guard waiter.ticket <= ticket else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        ready.forEach { $0.resume() }
        return ready.count
    }

    private func fail(_ error: EventBusError) {
        let waiters = state.withLock { state in
            state.failure = error
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.continuation.resume(throwing: error) }
    }
}

/// Moves the storage to the commit thread. Safe because the opening thread
/// never touches it after the move.
private struct StorageHandoff: @unchecked Sendable {
    let storage: BrokerStorage
}
