import Synchronization

/// The end of a watch decided outside its consumer's loop, because the
/// consuming task was cancelled or released the stream, or the store was
/// closed. Safe to use from any thread, such as a task cancellation handler.
final class EtcdWatchControl: Sendable {
    enum Ending: Sendable {
        /// The consumer cancelled its task or released the stream: it ends without an error.
        case cancelled
        /// The store was closed: the stream ends with `closed`.
        case storeClosed
    }

    private struct State {
        var ending: Ending?
        var closer: EtcdConnectionCloser?
    }

    private let state = Mutex(State())

    var ending: Ending? {
        state.withLock { $0.ending }
    }

    /// Records the closer of the connection being opened, so that an ending
    /// closes it. Closes it at once when the watch already ended.
    func attach(_ closer: EtcdConnectionCloser) {
        let ended = state.withLock { state in
            state.closer = closer
            return state.ending != nil
        }
        if ended {
            closer.close()
        }
    }

    /// Ends the watch and closes its connection. The first ending wins.
    func end(_ ending: Ending) {
        let closer = state.withLock { state -> EtcdConnectionCloser? in
            if state.ending == nil {
                state.ending = ending
            }
            return state.closer
        }
        closer?.close()
    }
}
