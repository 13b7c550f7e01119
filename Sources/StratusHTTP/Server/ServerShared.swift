import StratusLog
import StratusNet
import Synchronization

/// State of one `HTTPServer` that every loop and connection shares.
///
/// Thread safety: immutable members, plus counters and drain waiters guarded
/// by atomics and a mutex.
final class ServerShared: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let logger: Logger

    let openConnections = Atomic<Int>(0)
    let rejectedConnections = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let drainState = Mutex(DrainState())

    private struct DrainState {
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
    }

    /// Whether shutdown has begun. Read on every response, so an atomic.
    var isDraining: Bool {
        draining.load(ordering: .acquiring)
    }

    func beginDraining() {
        draining.store(true, ordering: .releasing)
    }

    /// Counts a new connection; returns false when the server is full.
    func admitConnection() -> Bool {
        let count = openConnections.wrappingAdd(1, ordering: .relaxed).newValue
        if count > configuration.maxConnections {
            openConnections.wrappingSubtract(1, ordering: .relaxed)
            rejectedConnections.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func connectionClosed() {
        let remaining = openConnections.wrappingSubtract(1, ordering: .relaxed).newValue
        if remaining == 0 {
            resumeDrainWaiters()
        }
    }

    /// Suspends until no connection is open.
    func waitForNoConnections() async {
        await withCheckedContinuation { continuation in
            let done = drainState.withLock { state -> Bool in
                if openConnections.load(ordering: .relaxed) == 0 {
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if done {
                continuation.resume()
            }
        }
    }

    private func resumeDrainWaiters() {
        let waiters = drainState.withLock { state in
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.resume()
        }
    }
}
