import StratusNet

/// The write side of a `TCPConnection` for async producers: hops to the
/// connection's loop when called elsewhere and suspends writers while unsent
/// output is over the connection's limit.
///
/// Thread safety: the async methods may be called from any task; the waiter
/// list is touched on the loop thread only.
final class OutputChannel: @unchecked Sendable {
    let tcp: TCPConnection
    var loop: EventLoop { tcp.loop }
    private var writableWaiters: [CheckedContinuation<Void, any Error>] = []

    init(tcp: TCPConnection) {
        self.tcp = tcp
    }

    /// Runs `body` on the loop thread, hopping there when called elsewhere.
    func onLoop<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if loop.inEventLoop {
            return try body()
        }
        return try await withCheckedThrowingContinuation { continuation in
            loop.execute {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    func onLoop(_ body: @escaping @Sendable () -> Void) async {
        if loop.inEventLoop {
            body()
            return
        }
        await withCheckedContinuation { continuation in
            loop.execute {
                body()
                continuation.resume()
            }
        }
    }

    /// Queues `bytes` and flushes at the end of the loop iteration, then waits
    /// while the output is over its limit. Throws `ConnectionClosedError`
    /// once the connection is closed.
    func write(_ bytes: [UInt8]) async throws {
        try await onLoop { [self] in
            guard !tcp.isClosed else { throw ConnectionClosedError() }
            tcp.write(bytes)
            tcp.flush()
        }
        try await waitUntilWritable()
    }

    /// Suspends until unsent output falls below the low watermark.
    func waitUntilWritable() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let check: @Sendable () -> Void = { [self] in
                if tcp.isClosed {
                    continuation.resume(throwing: ConnectionClosedError())
                } else if tcp.isWritable {
                    continuation.resume()
                } else {
                    writableWaiters.append(continuation)
                }
            }
            if loop.inEventLoop {
                check()
            } else {
                loop.execute(check)
            }
        }
    }

    /// Wakes writers: call from `connectionWritable` (error nil) and
    /// `connectionClosed` (with the error).
    func resumeWriters(throwing error: (any Error)?) {
        let waiters = writableWaiters
        writableWaiters = []
        for waiter in waiters {
            if let error {
                waiter.resume(throwing: error)
            } else {
                waiter.resume()
            }
        }
    }
}

/// Writes a streamed body through an `OutputChannel`, adding chunk framing
/// when the length is not known in advance.
final class StreamingBodyWriter: BodyWriter, @unchecked Sendable {
    // `written` is read and changed only on the channel's loop, inside `onLoop`.
    private let output: OutputChannel
    private let chunked: Bool
    private var written = 0
    /// A callback run on the loop after each write, for a caller that times the body's progress.
    private let onWrite: (() -> Void)?

    init(output: OutputChannel, chunked: Bool, onWrite: (() -> Void)? = nil) {
        self.output = output
        self.chunked = chunked
        self.onWrite = onWrite
    }

    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await output.onLoop { [self] in
            guard !output.tcp.isClosed else { throw ConnectionClosedError() }
            written += bytes.count
            output.tcp.write(chunked ? ResponseSerializer.chunk(bytes) : bytes)
            output.tcp.flush()
            onWrite?()
        }
        try await output.waitUntilWritable()
    }

    /// Ends the body: checks a declared length and writes the last chunk.
    func finish(expectedLength: Int?) async throws {
        try await output.onLoop { [self] in
            if let expectedLength, expectedLength != written {
                throw BodyLengthMismatchError(declared: expectedLength, written: written)
            }
            if chunked {
                output.tcp.write(ResponseSerializer.lastChunk)
                output.tcp.flush()
            }
        }
    }
}

/// A streamed body wrote a different number of bytes than its declared length.
public struct BodyLengthMismatchError: Error, Sendable, CustomStringConvertible {
    public var declared: Int
    public var written: Int

    public var description: String {
        "body was \(written) bytes but its declared length is \(declared)"
    }
}
