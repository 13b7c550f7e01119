import StratusHTTP
import Synchronization

/// The access log line of a request whose response has a streamed body,
/// written exactly once: when the producer returns or throws, or, when the
/// server never runs the producer, when the last reference goes away.
final class AccessLogLine: Sendable {
    private enum State {
        case open
        /// A streamed body is pending, and this is its response's status.
        case waitingForBody(HTTPStatus)
        case written
    }

    // Immutable.
    private let sink: AccessLogSink
    /// The fields known when the request arrived.
    private let entry: AccessLogEntry
    private let start: UInt64
    private let now: @Sendable () -> UInt64

    // Guarded by the mutex.
    private let state = Mutex(State.open)

    init(sink: AccessLogSink, entry: AccessLogEntry, start: UInt64, now: @escaping @Sendable () -> UInt64) {
        self.sink = sink
        self.entry = entry
        self.start = start
        self.now = now
    }

    deinit {
        if case .waitingForBody(let status) = state.withLock({ $0 }) {
            emit(status: status, bodySize: 0, error: nil)
        }
    }

    /// Records that the line waits for a streamed body sent with `status`.
    func setPendingStatus(_ status: HTTPStatus) {
        state.withLock { state in
            if case .open = state {
                state = .waitingForBody(status)
            }
        }
    }

    /// Writes the line unless it was written already.
    ///
    /// - Parameter bodySize: the body bytes produced, or nil when unknown.
    func write(status: HTTPStatus, bodySize: Int?, error: (any Error)?) {
        let isFirst = state.withLock { state in
            if case .written = state { return false }
            state = .written
            return true
        }
        if isFirst {
            emit(status: status, bodySize: bodySize, error: error)
        }
    }

    private func emit(status: HTTPStatus, bodySize: Int?, error: (any Error)?) {
        sink.write(entry.finished(status: status, durationNanoseconds: now() &- start, bodySize: bodySize, error: error))
    }
}

/// Passes chunks to `base` and counts the bytes it accepted.
final class AccessLogBodyCounter: BodyWriter {
    private let base: any BodyWriter
    private let written = Atomic<Int>(0)

    init(base: any BodyWriter) {
        self.base = base
    }

    var count: Int {
        written.load(ordering: .relaxed)
    }

    func write(_ bytes: [UInt8]) async throws {
        try await base.write(bytes)
        written.add(bytes.count, ordering: .relaxed)
    }
}
