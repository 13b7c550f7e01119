import StratusHTTP
import Synchronization

/// Closes the connection of one streamed request on demand.
///
/// `HTTPClient` has no call that aborts a request in flight, but it closes a
/// connection whose request body producer throws. A watch therefore sends its
/// create request as a streamed body of known length, whose producer writes
/// the bytes and then waits here. etcd has the whole request by then. Later,
/// `close()` makes the producer throw, which closes the connection and ends
/// the response body with an error.
final class EtcdConnectionCloser: Sendable {
    private struct State {
        var closed = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Returns once `close()` was called, at once if it already was.
    func waitUntilClosed() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.closed { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow {
                continuation.resume()
            }
        }
    }

    /// Closes the connection. Calling it again does nothing.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.closed else { return nil }
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns a request body producer that writes `bytes` and keeps the
    /// connection open until `close()`.
    func body(sending bytes: [UInt8]) -> OutgoingBodyProducer {
        { [self] writer in
            try await writer.write(bytes)
            await waitUntilClosed()
            throw ConnectionClosedOnRequest()
        }
    }

    typealias OutgoingBodyProducer = @Sendable (any BodyWriter) async throws -> Void

    /// The error that makes the HTTP client close the connection.
    struct ConnectionClosedOnRequest: Error, CustomStringConvertible {
        var description: String { "the watch was closed" }
    }
}
