import Dispatch
import Synchronization

/// Runs CPU-heavy blocking work, such as password hashing, on Dispatch
/// threads instead of the caller's event loop, with at most `width` jobs at
/// once. Further callers wait in FIFO order, so a flood of wrong passwords
/// costs the gateway `width` cores at most, not every thread.
final class BlockingWorkPool: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    let width: Int
    private let queue = DispatchQueue(label: "stratus.gateway.blocking-work", attributes: .concurrent)
    private let state = Mutex(State())

    init(width: Int) {
        precondition(width >= 1, "a work pool needs a width of at least 1, not \(width)")
        self.width = width
    }

    /// Runs `work` on the pool and returns its result; waits for a free
    /// slot first. Cancellation does not stop work that has started.
    func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await acquireSlot()
        defer { releaseSlot() }
        return await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: work())
            }
        }
    }

    private func acquireSlot() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state in
                guard state.running < width else {
                    state.waiting.append(continuation)
                    return false
                }
                state.running += 1
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    private func releaseSlot() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            // The slot passes to the first waiter; `running` stays the same.
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
