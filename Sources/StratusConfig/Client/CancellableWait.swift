import Synchronization

/// Waits for an operation that does not react to cancellation, such as a
/// read of a response body, and stops waiting when the waiting task is
/// cancelled. The operation then goes on in the background until it ends by
/// itself; it must check for itself whether its result is still wanted.
enum CancellableWait {
    private struct State {
        var continuation: CheckedContinuation<Void, any Error>?
        var outcome: Result<Void, any Error>?
    }

    static func run(_ operation: @escaping @Sendable () async throws -> Void) async throws {
        let state = Mutex(State())
        let finish: @Sendable (Result<Void, any Error>) -> Void = { outcome in
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard state.outcome == nil else { return nil }
                state.outcome = outcome
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume(with: outcome)
        }
        let work = Task {
            do {
                try await operation()
                finish(.success(()))
            } catch {
                finish(.failure(error))
            }
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if state.outcome == nil { state.continuation = continuation }
                    return state.outcome
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            work.cancel()
            finish(.failure(CancellationError()))
        }
    }
}
