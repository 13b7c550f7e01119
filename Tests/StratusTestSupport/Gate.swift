import Synchronization

/// A one-shot signal that a test opens and handlers wait for.
public final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init() {}

    public func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    public func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state in
                if !state.open {
                    state.waiters.append(continuation)
                }
                return state.open
            }
            if isOpen {
                continuation.resume()
            }
        }
    }
}
