import Synchronization

/// The flow-control window of one subscription: how many more messages it
/// may hold unacknowledged. A fetch takes credits, a settle returns one.
///
/// Thread safety: all state is behind one `Mutex`.
package final class CreditWindow: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Int, Never>] = []
        var closed = false
    }

    private let state: Mutex<State>

    package init(limit: Int) {
        state = Mutex(State(available: limit))
    }

    /// Waits until at least one credit is free and returns how many are,
    /// without taking them; returns 0 once the window is closed.
    package func waitForCredit() async -> Int {
        await withCheckedContinuation { continuation in
            let now: Int? = state.withLock { state in
                if state.closed { return 0 }
                if state.available > 0 { return state.available }
                state.waiters.append(continuation)
                return nil
            }
            if let now {
                continuation.resume(returning: now)
            }
        }
    }

    package func take(_ count: Int) {
        state.withLock { $0.available -= count }
    }

    /// Returns `count` credits and wakes the fetcher waiting for them.
    package func release(_ count: Int = 1) {
        let (waiters, available) = state.withLock { state in
            state.available += count
            defer { state.waiters = [] }
            return (state.waiters, state.available)
        }
        waiters.forEach { $0.resume(returning: available) }
    }

    /// Wakes every waiter with 0 and makes later waits return 0 at once.
    package func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: 0) }
    }
}
