import Synchronization

/// The buffer between a connection, which produces body chunks on its event
/// loop, and the task that reads them.
///
/// Thread safety: every member may be called from any thread; the state is
/// guarded by a mutex. `onDemand` and `onFirstRead` run on the reader's thread,
/// so the producer must hop to its own loop inside them.
package final class BodyStream: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var bufferedBytes = 0
        var finished = false
        var failure: (any Error)?
        var reader: CheckedContinuation<Wake, any Error>?
        var producerPaused = false
        var readStarted = false
    }

    /// Bytes buffered above which `append` asks the producer to pause.
    let highWatermark: Int
    private let state = Mutex(State())
    private let onDemand: @Sendable () -> Void
    private let onFirstRead: @Sendable () -> Void

    /// - Parameters:
    ///   - highWatermark: buffered bytes above which the producer is asked to pause.
    ///   - onDemand: called once after a pause, when the reader has drained the buffer.
    ///   - onFirstRead: called when the reader first asks for a chunk (used to send
    ///     `100 Continue` only to a handler that reads the body).
    package init(
        highWatermark: Int = 256 * 1024,
        onDemand: @escaping @Sendable () -> Void = {},
        onFirstRead: @escaping @Sendable () -> Void = {}
    ) {
        self.highWatermark = highWatermark
        self.onDemand = onDemand
        self.onFirstRead = onFirstRead
    }

    /// Adds a chunk; returns false when the producer should stop reading until
    /// `onDemand` is called.
    @discardableResult
    package func append(_ chunk: [UInt8]) -> Bool {
        let (reader, keepReading): (CheckedContinuation<Wake, any Error>?, Bool) = state.withLock { state in
            guard !state.finished else { return (nil, true) }
            if let reader = state.reader {
                state.reader = nil
                return (reader, true)
            }
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.count
            if state.bufferedBytes > highWatermark {
                state.producerPaused = true
                return (nil, false)
            }
            return (nil, true)
        }
        reader?.resume(returning: .chunk(chunk))
        return keepReading
    }

    /// Marks the end of the body, or its failure when `error` is given. Chunks
    /// already buffered are still delivered before the end or the error.
    package func finish(throwing error: (any Error)? = nil) {
        let reader = state.withLock { state -> CheckedContinuation<Wake, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            state.failure = error
            defer { state.reader = nil }
            return state.reader
        }
        if let error {
            reader?.resume(throwing: error)
        } else {
            reader?.resume(returning: .end)
        }
    }

    /// Whether the producer has delivered the whole body (or failed).
    package var isFinished: Bool {
        state.withLock { $0.finished }
    }

    /// Returns the next chunk, nil at the end; suspends while the buffer is empty.
    package func next() async throws -> [UInt8]? {
        while true {
            let (step, firstRead) = takeBuffered()
            if firstRead { onFirstRead() }
            switch step {
            case .chunk(let chunk, let resumeProducer):
                if resumeProducer { onDemand() }
                return chunk
            case .end(let failure):
                if let failure { throw failure }
                return nil
            case .wait:
                switch try await waitForProducer() {
                case .chunk(let chunk): return chunk
                case .end: return nil
                case .retry: continue
                }
            }
        }
    }

    private enum Step {
        case chunk([UInt8], resumeProducer: Bool)
        case end((any Error)?)
        case wait
    }

    package enum Wake: Sendable {
        case chunk([UInt8])
        case end
        /// The producer appended between the buffer check and the suspension.
        case retry
    }

    private func takeBuffered() -> (Step, firstRead: Bool) {
        state.withLock { state in
            let firstRead = !state.readStarted
            state.readStarted = true
            guard state.head < state.chunks.count else {
                return (state.finished ? .end(state.failure) : .wait, firstRead)
            }
            let chunk = state.chunks[state.head]
            state.chunks[state.head] = []
            state.head += 1
            state.bufferedBytes -= chunk.count
            if state.head == state.chunks.count {
                state.chunks.removeAll(keepingCapacity: true)
                state.head = 0
            }
            let resume = state.producerPaused && state.bufferedBytes <= highWatermark / 2
            if resume { state.producerPaused = false }
            return (.chunk(chunk, resumeProducer: resume), firstRead)
        }
    }

    private func waitForProducer() async throws -> Wake {
        try await withCheckedThrowingContinuation { continuation in
            let raced = state.withLock { state in
                if state.head < state.chunks.count || state.finished {
                    return true
                }
                state.reader = continuation
                return false
            }
            if raced {
                continuation.resume(returning: .retry)
            }
        }
    }
}
