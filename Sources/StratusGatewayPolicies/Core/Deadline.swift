import Synchronization

/// Runs operations with a hard time limit, also for operations that do not
/// react to task cancellation (the HTTP client's requests, store calls).
enum Deadline {
    /// The error of an operation that did not finish in time.
    struct Exceeded: Error, CustomStringConvertible {
        let timeout: Duration
        var description: String { "timed out after \(timeout)" }
    }

    /// Returns the result of `operation`, or throws `Exceeded` once
    /// `timeout` has passed. The operation keeps running in its own task
    /// until it ends by itself; its result is then dropped.
    static func run<Value: Sendable>(
        _ timeout: Duration,
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let pending = Mutex<CheckedContinuation<Value, any Error>?>(nil)
        let finish = { @Sendable (result: Result<Value, any Error>) in
            let continuation = pending.withLock { pending in
                defer { pending = nil }
                return pending
            }
            continuation?.resume(with: result)
        }
        return try await withCheckedThrowingContinuation { continuation in
            pending.withLock { $0 = continuation }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                finish(.failure(Exceeded(timeout: timeout)))
            }
            Task {
                let result: Result<Value, any Error>
                do {
                    result = .success(try await operation())
                } catch {
                    result = .failure(error)
                }
                finish(result)
                // The timer's finish after cancellation finds the
                // continuation taken and does nothing.
                timer.cancel()
            }
        }
    }
}
