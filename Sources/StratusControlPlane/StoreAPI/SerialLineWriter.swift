import StratusHTTP
import Synchronization

/// Writes JSON lines to a streamed response for several tasks, one line at
/// a time and each line as one chunk, so lines never interleave and a
/// client that reads one chunk per message (as etcd3gw does) gets whole ones.
///
/// A writer waits while another line is being written, so the response's
/// backpressure reaches every task that writes.
final class SerialLineWriter: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let writer: any BodyWriter
    private let state = Mutex(State())

    init(_ writer: any BodyWriter) {
        self.writer = writer
    }

    /// Writes `value` and a line feed. Throws when the connection closed.
    func write(_ value: JSONValue) async throws {
        await acquire()
        defer { release() }
        var line = value.serialized
        line.append(0x0A)
        try await writer.write(line)
    }

    private func acquire() async {
        await withCheckedContinuation { continuation in
            let acquired = state.withLock { state in
                guard state.busy else {
                    state.busy = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquired {
                continuation.resume()
            }
        }
    }

    /// Hands the writer to the next waiter, which keeps it busy.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
