import Synchronization

/// One watch on the embedded store: a queue of events its consumer pulls.
///
/// A watcher starts behind ("catching up") when it asks for past revisions:
/// it copies events from the store's event log a batch at a time as its
/// consumer reads, so old history costs no extra memory. Once it reaches the
/// newest published revision the store pushes each new event to it. If its
/// consumer falls more than the buffer limit behind, the watch ends with
/// `compacted`, so a stuck consumer cannot grow memory without bound.
///
/// Thread safety: the state is behind its own `Mutex`. The store calls in
/// with its own lock held; the watcher never takes the store's lock while
/// holding its own, so the order store-then-watcher is the only one.
final class EmbeddedWatcher: WatchEventSource {
    private struct State {
        var queue: [WatchEvent] = []
        var head = 0
        /// The next revision to copy from the event log while catching up.
        var nextRevision: Int64
        var caughtUp = false
        var failure: StoreError?
        var ended = false
        var waiter: CheckedContinuation<Void, Never>?

        var buffered: Int { queue.count - head }

        mutating func takeWaiter() -> CheckedContinuation<Void, Never>? {
            defer { waiter = nil }
            return waiter
        }

        /// Removes and returns the first queued event; the queue must not be empty.
        mutating func popFirst() -> WatchEvent {
            let event = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            return event
        }
    }

    private enum Step {
        case event(WatchEvent)
        case fail(StoreError)
        case end
        case catchUp
        case wait
    }

    let id: UInt64
    let request: WatchRequest
    let bufferLimit: Int
    // Set once in init; the runtime reads weak references atomically.
    nonisolated(unsafe) private weak var store: EmbeddedStore?
    private let state: Mutex<State>

    init(id: UInt64, request: WatchRequest, startRevision: Int64, bufferLimit: Int, store: EmbeddedStore) {
        self.id = id
        self.request = request
        self.bufferLimit = bufferLimit
        self.store = store
        state = Mutex(State(nextRevision: startRevision))
    }

    var nextRevision: Int64 { state.withLock { $0.nextRevision } }

    func next() async throws -> WatchEvent? {
        while true {
            switch nextStep() {
            case .event(let event):
                return event
            case .fail(let error):
                throw error
            case .end:
                return nil
            case .catchUp:
                store?.catchUp(self)
            case .wait:
                await waitForEvents()
            }
        }
    }

    private func nextStep() -> Step {
        if Task.isCancelled {
            cancel()
        }
        return state.withLock { state in
            if state.head < state.queue.count {
                return .event(state.popFirst())
            }
            if let failure = state.failure {
                state.failure = nil
                state.ended = true
                return .fail(failure)
            }
            if state.ended { return .end }
            return state.caughtUp ? .wait : .catchUp
        }
    }

    /// Takes the next queued event when it belongs to `revision`. The store
    /// queues whole revisions at once, so this returns the rest of a revision
    /// whose first event `next()` returned.
    func takeBuffered(revision: Int64) -> WatchEvent? {
        state.withLock { state in
            guard state.head < state.queue.count, state.queue[state.head].revision == revision else { return nil }
            return state.popFirst()
        }
    }

    private func waitForEvents() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    guard state.buffered == 0 && state.failure == nil && !state.ended else { return true }
                    state.waiter = continuation
                    return false
                }
                if ready {
                    continuation.resume()
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Adds events copied from the log while catching up. The store calls
    /// it with its lock held.
    func appendCaughtUp(_ events: [WatchEvent], nextRevision: Int64, caughtUp: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.queue.append(contentsOf: events)
            state.nextRevision = nextRevision
            state.caughtUp = caughtUp
            return state.takeWaiter()
        }
        waiter?.resume()
    }

    /// Pushes new events. Returns false when the watcher has ended, or has
    /// just overflowed its buffer and ended, so the store drops it.
    func push(_ events: [WatchEvent], through revision: Int64) -> Bool {
        var keep = true
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.ended && state.failure == nil else {
                keep = false
                return nil
            }
            state.nextRevision = revision + 1
            guard state.buffered + events.count <= bufferLimit else {
                state.queue.removeAll()
                state.head = 0
                state.failure = StoreError(
                    .compacted,
                    "watch fell behind by more than \(bufferLimit) events and was dropped: list the keys again and watch from the list's revision + 1",
                    compactRevision: revision
                )
                keep = false
                return state.takeWaiter()
            }
            state.queue.append(contentsOf: events)
            return events.isEmpty ? nil : state.takeWaiter()
        }
        waiter?.resume()
        return keep
    }

    /// Ends the watch with an error after the events already queued.
    func fail(_ error: StoreError) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.ended else { return nil }
            state.failure = error
            return state.takeWaiter()
        }
        waiter?.resume()
    }

    func cancel() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.ended = true
            state.queue.removeAll()
            state.head = 0
            return state.takeWaiter()
        }
        waiter?.resume()
        store?.removeWatcher(id)
    }
}
