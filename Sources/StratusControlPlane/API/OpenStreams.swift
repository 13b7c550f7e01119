import Synchronization

/// The watch streams a control plane is serving, so that a shutdown can end
/// them at once instead of waiting out its grace period for streams that
/// never end by themselves. Clients then reconnect, to another replica if
/// there is one.
final class OpenStreams: Sendable {
    private struct State {
        var ends: [UInt64: @Sendable () -> Void] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// Records a stream and returns its id, or nil when already closed (the
    /// caller then ends the stream itself).
    func add(end: @escaping @Sendable () -> Void) -> UInt64? {
        state.withLock { state in
            guard !state.closed else { return nil }
            state.nextID += 1
            state.ends[state.nextID] = end
            return state.nextID
        }
    }

    func remove(_ id: UInt64) {
        _ = state.withLock { $0.ends.removeValue(forKey: id) }
    }

    /// Ends every open stream and every stream added later.
    func closeAll() {
        let ends = state.withLock { state in
            state.closed = true
            defer { state.ends = [:] }
            return Array(state.ends.values)
        }
        ends.forEach { $0() }
    }
}
