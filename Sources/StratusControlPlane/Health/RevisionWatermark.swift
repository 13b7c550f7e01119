import Synchronization

/// The highest store revision whose registry changes a `HealthChecker` has
/// applied, which tests wait on before they assert what is probed.
///
/// Thread safety: the watch task advances it and any task may wait, so the
/// state is behind a `Mutex`.
final class RevisionWatermark: Sendable {
    private struct State {
        var revision: Int64 = 0
        var nextWaiterID: UInt64 = 0
        var waiters: [UInt64: (revision: Int64, continuation: CheckedContinuation<Void, Never>)] = [:]
    }

    private let state = Mutex(State())

    var revision: Int64 {
        state.withLock { $0.revision }
    }

    /// Raises the watermark to `revision` and wakes the waiters it reaches.
    /// A lower revision leaves it as it is.
    func advance(to revision: Int64) {
        let reached = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard revision > state.revision else { return [] }
            state.revision = revision
            let ids = state.waiters.filter { $0.value.revision <= revision }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
        }
        for continuation in reached {
            continuation.resume()
        }
    }

    /// Suspends until the watermark reaches `revision`, or until the task is
    /// cancelled.
    func wait(until revision: Int64) async {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.revision >= revision || Task.isCancelled { return true }
                    state.waiters[id] = (revision, continuation)
                    return false
                }
                if ready {
                    continuation.resume()
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume()
        }
    }
}
