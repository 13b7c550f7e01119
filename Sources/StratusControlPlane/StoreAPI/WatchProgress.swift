import Synchronization

/// How far one watch has delivered its events, for progress responses.
///
/// `deliveredRevision` is a revision through which the client has every
/// event of the watch: the revision of the last event delivered, or before
/// the first the lower of the start revision - 1 and the store's revision
/// when the watch was created. It can trail the store's revision,
/// because revisions without matching events do not advance it, but it never
/// runs ahead, so a client may resume after it without missing an event.
final class WatchProgress: Sendable {
    private struct State {
        var deliveredRevision: Int64
        var eventsSinceCheck = false
    }

    private let state: Mutex<State>

    init(startRevision: Int64, currentRevision: Int64) {
        state = Mutex(State(deliveredRevision: min(startRevision - 1, currentRevision)))
    }

    var deliveredRevision: Int64 {
        state.withLock { $0.deliveredRevision }
    }

    /// Records that the events of `revision` went out.
    func delivered(_ revision: Int64) {
        state.withLock { state in
            state.deliveredRevision = max(state.deliveredRevision, revision)
            state.eventsSinceCheck = true
        }
    }

    /// Returns whether the watch delivered no event since the last call.
    func wasQuietSinceLastCheck() -> Bool {
        state.withLock { state in
            defer { state.eventsSinceCheck = false }
            return !state.eventsSinceCheck
        }
    }
}
