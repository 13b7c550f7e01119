import Synchronization

/// Why a running service stops.
enum ShutdownReason: Sendable {
    /// SIGTERM or SIGINT, with its number.
    case signal(Int32)
    /// `triggerGracefulShutdown()`, or the enclosing `ServiceGroup`.
    case requested
    /// A worker threw; the service stops and rethrows the error.
    case workerFailed(name: String, error: any Error)
    /// The task running the service was cancelled: stop now, without the
    /// drain period.
    case cancelled
}

/// The first reason to stop, set once, that the running service awaits.
final class ShutdownRequest: Sendable {
    private let state = Mutex<(reason: ShutdownReason?, waiters: [CheckedContinuation<ShutdownReason, Never>])>((nil, []))

    var reason: ShutdownReason? { state.withLock { $0.reason } }

    /// Records `reason` unless a reason was already recorded.
    func trigger(_ reason: ShutdownReason) {
        let waiters = state.withLock { state -> [CheckedContinuation<ShutdownReason, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: reason) }
    }

    /// Suspends until a reason is recorded, and returns it. Cancelling the
    /// waiting task records `.cancelled`.
    func wait() async -> ShutdownReason {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let reason = state.withLock { state -> ShutdownReason? in
                    if state.reason == nil { state.waiters.append(continuation) }
                    return state.reason
                }
                if let reason { continuation.resume(returning: reason) }
            }
        } onCancel: {
            trigger(.cancelled)
        }
    }
}
