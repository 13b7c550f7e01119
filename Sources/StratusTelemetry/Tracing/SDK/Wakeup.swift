import Synchronization

/// A one-slot signal between tasks: `signal()` wakes the waiter, or makes
/// the next `wait()` return at once when no task waits. Signals sent while one
/// is pending merge into it.
final class Wakeup: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Suspends until a signal arrives. Only one task may wait at a time.
    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                precondition(state.waiter == nil, "Wakeup.wait() called by two tasks at once")
                state.waiter = continuation
                return false
            }
            if ready {
                continuation.resume()
            }
        }
    }
}
