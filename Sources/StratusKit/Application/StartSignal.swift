import StratusNet
import Synchronization

/// The outcome of a service's start, set once: the address it listens on,
/// or the error that stopped it.
final class StartSignal: Sendable {
    private let state = Mutex<(outcome: Result<SocketAddress, any Error>?, waiters: [CheckedContinuation<SocketAddress, any Error>])>((nil, []))

    func succeed(_ address: SocketAddress) {
        finish(.success(address))
    }

    func fail(_ error: any Error) {
        finish(.failure(error))
    }

    func wait() async throws -> SocketAddress {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLock { state in
                if state.outcome == nil { state.waiters.append(continuation) }
                return state.outcome
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    private func finish(_ outcome: Result<SocketAddress, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<SocketAddress, any Error>] in
            guard state.outcome == nil else { return [] }
            state.outcome = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(with: outcome) }
    }
}
