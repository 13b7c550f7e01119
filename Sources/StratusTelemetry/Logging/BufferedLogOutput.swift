import Dispatch
import Glibc
import Synchronization

/// A destination for log lines that collects them in memory and writes them
/// to a file descriptor in large chunks, so that a busy service pays for one
/// `write(2)` per many lines instead of one per line.
///
/// Pending lines are written:
/// - when they reach `flushThreshold` bytes, by the task whose line crossed it.
/// - every `flushInterval`, by a timer on a Dispatch queue.
/// - at once, with everything before them, when a line is written with
///   `flush: true` (the handlers do this for `error` and `critical`).
/// - when `flush()` is called, and when the process exits through `exit(3)`
///   or by returning from `main`.
///
/// Loss window: when the process dies without running `atexit` handlers (a
/// crash, a trap such as `fatalError`, SIGKILL), pending lines are lost. That
/// is at most the lines of the last `flushInterval`, and fewer than
/// `flushThreshold` bytes. Error and critical lines are never pending.
///
/// Thread safety: `write` and `flush` may be called from any thread. Each line
/// is appended whole under a lock and chunks are written in the order lines
/// were appended, so lines never interleave or reorder. A task whose line
/// crosses the threshold while another task is writing waits for that write,
/// which bounds memory when the reader of the descriptor is slow.
public final class BufferedLogOutput: Sendable {
    /// Standard output, flushed every 100 ms or at 32 KiB.
    public static let standardOutput = BufferedLogOutput(fileDescriptor: 1)
    /// Standard error, flushed every 100 ms or at 32 KiB.
    public static let standardError = BufferedLogOutput(fileDescriptor: 2)

    // Immutable after init.
    /// The descriptor written to, or nil for an output that passes chunks to
    /// a closure.
    public let fileDescriptor: Int32?
    private let flushThreshold: Int
    private let writeChunk: @Sendable ([UInt8]) -> Void
    /// The periodic flush. `DispatchSourceTimer` is thread-safe but not
    /// declared `Sendable`, and the reference is only used to cancel it.
    private nonisolated(unsafe) let timer: (any DispatchSourceTimer)?

    // Guarded by their own mutexes. `writeLock` is always taken before
    // `pending`, never the other way round.
    /// Lines appended and not yet written.
    private let pending: Mutex<[UInt8]>
    /// Serializes writes and keeps the spare buffer swapped with `pending`,
    /// so a flush allocates nothing in steady state.
    private let writeLock: Mutex<[UInt8]>

    /// Creates an output writing to `fileDescriptor`, which must stay open
    /// while the output exists. Pending lines are also written at process exit.
    ///
    /// - Parameters:
    ///   - flushThreshold: the pending size in bytes that triggers a write.
    ///   - flushInterval: the period of the background flush.
    public convenience init(
        fileDescriptor: Int32,
        flushThreshold: Int = 32 * 1024,
        flushInterval: Duration = .milliseconds(100)
    ) {
        self.init(flushThreshold: flushThreshold, flushInterval: flushInterval, fileDescriptor: fileDescriptor) { chunk in
            writeAll(chunk, to: fileDescriptor)
        }
        OutputRegistry.register(self)
    }

    /// Creates an output that passes each chunk of whole lines to `writeChunk`,
    /// one call at a time. A nil `flushInterval` disables the timer; tests use
    /// it with `flush()`.
    init(
        flushThreshold: Int,
        flushInterval: Duration?,
        fileDescriptor: Int32? = nil,
        writeChunk: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.fileDescriptor = fileDescriptor
        self.flushThreshold = flushThreshold
        self.writeChunk = writeChunk
        pending = Mutex([])
        writeLock = Mutex([])
        guard let flushInterval else {
            timer = nil
            return
        }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "stratus.log.flush"))
        let (seconds, attoseconds) = flushInterval.components
        let period = DispatchTimeInterval.nanoseconds(Int(clamping: seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        timer.schedule(deadline: .now() + period, repeating: period)
        self.timer = timer
        timer.setEventHandler { [weak self] in self?.flush() }
        timer.resume()
    }

    deinit {
        timer?.cancel()
        flush()
    }

    /// Whether the descriptor is a terminal (`isatty(3)`).
    public var isTerminal: Bool {
        fileDescriptor.map { isatty($0) != 0 } ?? false
    }

    /// Appends one line, which must end in a newline. With `flush`, writes it
    /// and every line before it before returning.
    public func write(_ line: [UInt8], flush: Bool = false) {
        line.withUnsafeBufferPointer { write($0, flush: flush) }
    }

    /// Appends one line from memory the caller owns, as `write(_:flush:)`
    /// does, so that a formatter can hand over its buffer without copying it
    /// into an array first.
    func write(_ line: UnsafeBufferPointer<UInt8>, flush: Bool) {
        let reachedThreshold = pending.withLock { pending in
            pending.append(contentsOf: line)
            return pending.count >= flushThreshold
        }
        if reachedThreshold || flush {
            self.flush()
        }
    }

    /// Writes every pending line before returning.
    public func flush() {
        writeLock.withLock { chunk in
            pending.withLock { pending in swap(&pending, &chunk) }
            guard !chunk.isEmpty else { return }
            writeChunk(chunk)
            chunk.removeAll(keepingCapacity: true)
        }
    }
}

/// The outputs to flush when the process exits. Entries are weak, so an
/// output that is released flushes in its `deinit` instead.
private enum OutputRegistry {
    private struct WeakOutput {
        weak var output: BufferedLogOutput?
    }

    private static let outputs = Mutex<[WeakOutput]>([])
    private static let exitHandler: Void = {
        atexit { OutputRegistry.flushAll() }
    }()

    static func register(_ output: BufferedLogOutput) {
        _ = exitHandler
        outputs.withLock { outputs in
            outputs.removeAll { $0.output == nil }
            outputs.append(WeakOutput(output: output))
        }
    }

    static func flushAll() {
        let live = outputs.withLock { $0.compactMap(\.output) }
        for output in live {
            output.flush()
        }
    }
}

/// Writes all of `bytes` with `write(2)`, retrying after a signal and after a
/// partial write, and waiting up to one second for a non-blocking descriptor
/// to accept more. Other errors drop the rest of the chunk, because a logger
/// has nowhere to report its own failure.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waitUntilWritable(descriptor) {
                continue
            } else {
                return
            }
        }
    }
}

private func waitUntilWritable(_ descriptor: Int32) -> Bool {
    var request = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
    return poll(&request, 1, 1000) > 0
}
