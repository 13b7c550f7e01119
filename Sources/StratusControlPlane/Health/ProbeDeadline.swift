import Synchronization

/// A time limit on one probe as a whole. The HTTP client times connecting
/// and waiting for the response separately, so it cannot enforce this.
enum ProbeDeadline {
    /// Returns the outcome of `operation`, or a failure as soon as `seconds`
    /// have passed or the calling task is cancelled.
    ///
    /// An operation still running then goes on in its own task, cancelled,
    /// until its own timeouts end it. Its outcome is dropped.
    static func run(seconds: Int, _ operation: @escaping @Sendable () async -> ProbeOutcome) async -> ProbeOutcome {
        let slot = OutcomeSlot()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard slot.setContinuation(continuation) else { return }
                let work = Task { slot.fill(await operation()) }
                let timer = Task {
                    do {
                        try await Task.sleep(for: .seconds(seconds))
                        slot.fill(.failed(reason: "timed out after \(seconds) s"))
                    } catch {
                        // Cancelled because the operation finished first.
                    }
                }
                slot.attach(work: work, timer: timer)
            }
        } onCancel: {
            slot.fill(.failed(reason: "cancelled"))
        }
    }
}

/// The first outcome of a probe race, handed to the waiting continuation.
///
/// Thread safety: the work task, the timer task and the cancellation
/// handler all call in, so the state is behind a `Mutex`.
private final class OutcomeSlot: Sendable {
    private struct State {
        var continuation: CheckedContinuation<ProbeOutcome, Never>?
        var outcome: ProbeOutcome?
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Stores the continuation, or resumes it at once and returns false
    /// when an outcome (a cancellation) came first.
    func setContinuation(_ continuation: CheckedContinuation<ProbeOutcome, Never>) -> Bool {
        let early = state.withLock { state -> ProbeOutcome? in
            if let outcome = state.outcome { return outcome }
            state.continuation = continuation
            return nil
        }
        guard let early else { return true }
        continuation.resume(returning: early)
        return false
    }

    /// Keeps the racing tasks so the first outcome can cancel them.
    func attach(work: Task<Void, Never>, timer: Task<Void, Never>) {
        let finished = state.withLock { state in
            state.tasks = [work, timer]
            return state.outcome != nil
        }
        if finished {
            work.cancel()
            timer.cancel()
        }
    }

    /// Delivers `outcome` unless another came first, and cancels the race.
    func fill(_ outcome: ProbeOutcome) {
        let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<ProbeOutcome, Never>?, [Task<Void, Never>]) in
            guard state.outcome == nil else { return (nil, []) }
            state.outcome = outcome
            defer { state.continuation = nil }
            return (state.continuation, state.tasks)
        }
        for task in tasks {
            task.cancel()
        }
        continuation?.resume(returning: outcome)
    }
}
