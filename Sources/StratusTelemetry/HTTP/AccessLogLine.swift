import StratusHTTP
import StratusLog
import Synchronization

/// The access log line of one request, written exactly once: when the
/// response is known, when its streamed body ends, or, for a streamed body
/// the server never produced, when the last reference goes away.
final class AccessLogLine: Sendable {
    private enum State {
        case open
        /// A streamed body is pending, and this is its response's status.
        case waitingForBody(HTTPStatus)
        case written
    }

    // Immutable.
    private let logger: Logger
    private let metadata: Logger.Metadata
    private let start: UInt64
    private let now: @Sendable () -> UInt64

    // Guarded by the mutex.
    private let state = Mutex(State.open)

    init(logger: Logger, metadata: Logger.Metadata, start: UInt64, now: @escaping @Sendable () -> UInt64) {
        self.logger = logger
        self.metadata = metadata
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
        var metadata = metadata
        metadata[AccessLogKey.httpStatus] = .stringConvertible(status.code)
        metadata[AccessLogKey.durationMilliseconds] = .stringConvertible(milliseconds(since: start))
        if let bodySize {
            metadata[AccessLogKey.responseBodySize] = .stringConvertible(bodySize)
        }
        if let error {
            metadata[AccessLogKey.errorType] = .string(String(reflecting: type(of: error)))
        }
        logger.info("request", metadata: metadata)
    }

    /// Milliseconds with microsecond resolution.
    private func milliseconds(since start: UInt64) -> Double {
        let elapsed = now() &- start
        return Double(elapsed / 1_000) / 1_000
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
