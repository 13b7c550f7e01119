import Synchronization

/// The graceful-shutdown signal of one service: set once, observed by
/// `gracefulShutdown()` and by handlers.
final class GracefulShutdownToken: Sendable {
    private struct State {
        var triggered = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
        var handlers: [UInt64: @Sendable () -> Void] = [:]
        var nextHandler: UInt64 = 0
    }

    private let state = Mutex(State())

    @TaskLocal static var current: GracefulShutdownToken?

    var isTriggered: Bool { state.withLock { $0.triggered } }

    func trigger() {
        let (waiters, handlers) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [@Sendable () -> Void]) in
            guard !state.triggered else { return ([], []) }
            state.triggered = true
            defer {
                state.waiters = [:]
                state.handlers = [:]
            }
            return (Array(state.waiters.values), Array(state.handlers.values))
        }
        waiters.forEach { $0.resume() }
        handlers.forEach { $0() }
    }

    /// Suspends until triggered, or until the task is cancelled.
    func wait() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.triggered || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Adds a handler, or runs it at once when already triggered; returns
    /// the id to remove it with, nil when it ran.
    func addHandler(_ handler: @escaping @Sendable () -> Void) -> UInt64? {
        let id: UInt64? = state.withLock { state in
            guard !state.triggered else { return nil }
            state.nextHandler += 1
            state.handlers[state.nextHandler] = handler
            return state.nextHandler
        }
        if id == nil { handler() }
        return id
    }

    func removeHandler(_ id: UInt64) {
        _ = state.withLock { $0.handlers.removeValue(forKey: id) }
    }
}

/// Suspends until the current service is asked to shut down gracefully.
///
/// Outside a `ServiceGroup` it suspends until the task is cancelled.
/// - Throws: `CancellationError` when the task is cancelled first.
public func gracefulShutdown() async throws {
    guard let token = GracefulShutdownToken.current else {
        try await Task.sleep(for: .seconds(Int64.max / 2))
        return
    }
    await token.wait()
    try Task.checkCancellation()
}

/// Runs `operation`, calling `onGracefulShutdown` once if the current
/// service is asked to shut down gracefully while it runs (at once if it
/// already was).
public func withGracefulShutdownHandler<Result: Sendable>(
    operation: () async throws -> Result,
    onGracefulShutdown: @escaping @Sendable () -> Void
) async rethrows -> Result {
    guard let token = GracefulShutdownToken.current, let id = token.addHandler(onGracefulShutdown) else {
        return try await operation()
    }
    defer { token.removeHandler(id) }
    return try await operation()
}

/// Whether the current service was asked to shut down gracefully.
public var isShuttingDownGracefully: Bool {
    GracefulShutdownToken.current?.isTriggered ?? false
}
