import CStratusLinux
import Glibc

/// The callbacks a protocol layer implements to use a `TCPConnection`. The connection
/// calls these on its event loop thread only.
package protocol ConnectionHandler: AnyObject {
    /// Bytes arrived. The buffer is the loop's shared read buffer and is valid
    /// only during the call: copy what must outlive it.
    func connectionReceived(_ bytes: UnsafeRawBufferPointer)
    /// Reports that the peer closed its sending side. The connection stops
    /// reading but may still write, so call `close()` when done.
    func connectionReceivedEOF()
    /// Unsent output fell below the low watermark after having passed the high one.
    func connectionWritable()
    /// Reports, once, that the connection is closed. `error` is nil for a local close.
    func connectionClosed(error: (any Error)?)
}

/// A connected, non-blocking TCP socket bound to one event loop: it reads into
/// the loop's buffer, queues output, writes it in batches and applies backpressure.
///
/// Backpressure: when unsent output passes `highWatermark`, the connection stops
/// reading the socket, so a peer that sends requests without reading responses
/// cannot grow memory without bound. Reading resumes when the output falls to
/// `lowWatermark`.
///
/// Thread safety: all members must be used on `loop`'s thread. The class is
/// `@unchecked Sendable` only so that it can be captured by closures that the
/// loop runs; it holds no lock.
package final class TCPConnection: Selectable, @unchecked Sendable {
    // MARK: Immutable

    package let loop: EventLoop
    package let socket: Socket
    package let highWatermark: Int
    package let lowWatermark: Int

    // MARK: Loop thread only

    package weak var handler: (any ConnectionHandler)?
    private var outbound: [[UInt8]] = []
    private var outboundHead = 0
    /// Bytes of `outbound[outboundHead]` already written.
    private var headOffset = 0
    package private(set) var pendingBytes = 0
    private var interest: EventMask = []
    /// A write returned EAGAIN, so the connection waits for EPOLLOUT. Only then
    /// is writability of interest: asking for it otherwise costs an epoll_ctl
    /// per response and a wake-up for every idle writable socket.
    private var waitingForWritable = false
    private var flushScheduled = false
    private var readingWanted = true
    private var pausedByBackpressure = false
    private var receivedEOF = false
    private var closeWhenFlushed = false
    private var lingerAfterFlush = false
    /// After a lingering close has shut down the write side: input is discarded
    /// until the peer closes or the linger time passes.
    private var lingering = false
    /// When queued output last made progress (monotonic nanoseconds), for write timeouts.
    package private(set) var lastWriteProgress: UInt64 = 0
    /// Bytes the kernel has accepted on this connection so far.
    package private(set) var totalBytesWritten = 0
    package private(set) var isClosed = false

    package init(socket: Socket, loop: EventLoop, highWatermark: Int = 1 << 20, lowWatermark: Int = 256 << 10) {
        self.socket = socket
        self.loop = loop
        self.highWatermark = highWatermark
        self.lowWatermark = lowWatermark
    }

    /// Registers with the loop and starts reading; `interest` adds events, such
    /// as `.writable` for a connect in progress.
    package func start(handler: any ConnectionHandler, interest extra: EventMask = []) throws(SystemError) {
        self.handler = handler
        interest = EventMask.readable.union(extra)
        try loop.register(socket.descriptor, interest: interest, handler: self)
    }

    // MARK: Reading

    /// Stops or resumes reading at the caller's request (for example while a
    /// request body waits for a slow reader).
    package func setReading(_ enabled: Bool) {
        readingWanted = enabled
        updateInterest()
    }

    package func handleEvents(_ events: EventMask) {
        if events.contains(.writable) {
            flushNow()
        }
        if !isClosed && (events.contains(.readable) || events.contains(.hangUp) || events.contains(.error)) {
            readAvailable(events)
        }
    }

    private func readAvailable(_ events: EventMask) {
        let buffer = loop.readBuffer
        // Read a few times per wake-up when the buffer fills, then let other
        // connections on the loop have their turn.
        for _ in 0..<4 {
            guard !isClosed, isReading || events.contains(.error) else { return }
            let result: IOResult<Int>
            do {
                result = try socket.read(into: buffer)
            } catch {
                close(error: error)
                return
            }
            switch result {
            case .wouldBlock:
                return
            case .processed(0):
                // A second EOF comes only from an error event (a reset after
                // the peer's FIN), which epoll repeats until the socket
                // closes. Such a socket can neither read nor write.
                let repeated = receivedEOF
                receivedEOF = true
                if lingering || repeated {
                    close()
                    return
                }
                updateInterest()
                handler?.connectionReceivedEOF()
                return
            case .processed(let count) where lingering:
                _ = count
            case .processed(let count):
                handler?.connectionReceived(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                if count < buffer.count { return }
            }
        }
    }

    private var isReading: Bool {
        lingering ? !receivedEOF : readingWanted && !pausedByBackpressure && !receivedEOF
    }

    // MARK: Writing

    /// Queues bytes; they are sent at the end of the loop iteration by `flush()`
    /// or at once by `flushNow()`.
    package func write(_ bytes: [UInt8]) {
        guard !isClosed, !bytes.isEmpty else { return }
        if pendingBytes == 0 {
            lastWriteProgress = loop.now
        }
        outbound.append(bytes)
        pendingBytes += bytes.count
        if pendingBytes > highWatermark && !pausedByBackpressure {
            pausedByBackpressure = true
            updateInterest()
        }
    }

    /// Sends queued output at the end of the current loop iteration, so several
    /// responses written in one iteration leave in one system call.
    package func flush() {
        guard !flushScheduled, !isClosed, !lingering else { return }
        flushScheduled = true
        loop.atTickEnd { [self] in
            flushScheduled = false
            flushNow()
        }
    }

    /// Whether output is below the high watermark, so a producer may write more.
    package var isWritable: Bool {
        pendingBytes <= highWatermark
    }

    /// Closes the connection once every queued byte is sent.
    ///
    /// With `lingering`, the connection then shuts down its write side and
    /// reads and discards input for up to `lingerTime` before closing. Closing
    /// with unread input makes the kernel send a reset, which can destroy the
    /// response before the peer reads it (RFC 9112, section 9.6, "staged close").
    package func closeAfterFlush(lingering: Bool = false, lingerTime: Duration = .seconds(2)) {
        closeWhenFlushed = true
        lingerAfterFlush = lingerAfterFlush || lingering
        self.lingerTime = lingerTime
        if pendingBytes == 0 {
            finishClosing()
        } else {
            flush()
        }
    }

    private var lingerTime: Duration = .seconds(2)

    private func finishClosing() {
        guard lingerAfterFlush, !receivedEOF else {
            close()
            return
        }
        lingering = true
        socket.shutdownWrite()
        updateInterest()
        loop.scheduleTimer(after: lingerTime) { [weak self] in
            self?.close()
        }
    }

    package func flushNow() {
        while pendingBytes > 0 && !isClosed {
            let result: IOResult<Int>
            do {
                result = try writeQueued()
            } catch {
                close(error: error)
                return
            }
            guard case .processed(let written) = result else {
                waitingForWritable = true
                break
            }
            consume(written)
        }
        if pendingBytes == 0 {
            waitingForWritable = false
        }
        afterFlush()
    }

    private func afterFlush() {
        guard !isClosed else { return }
        if pendingBytes == 0 && closeWhenFlushed {
            finishClosing()
            return
        }
        if pausedByBackpressure && pendingBytes <= lowWatermark {
            pausedByBackpressure = false
            updateInterest()
            handler?.connectionWritable()
        } else {
            updateInterest()
        }
    }

    /// Writes up to 64 queued chunks with one sendmsg.
    private func writeQueued() throws -> IOResult<Int> {
        let count = min(outbound.count - outboundHead, 64)
        if count == 1 {
            let offset = headOffset
            return try outbound[outboundHead].withUnsafeBytes { bytes in
                try socket.write(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            }
        }
        return try withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) { vectors in
            try gatherAndWrite(chunk: 0, count: count, into: vectors)
        }
    }

    /// Pins each chunk's storage with a nested `withUnsafeBytes` while the
    /// vector that points into it is in use.
    private func gatherAndWrite(chunk: Int, count: Int, into vectors: UnsafeMutableBufferPointer<iovec>) throws -> IOResult<Int> {
        if chunk == count {
            return try socket.writev(vectors)
        }
        let offset = chunk == 0 ? headOffset : 0
        return try outbound[outboundHead + chunk].withUnsafeBytes { bytes in
            vectors[chunk] = iovec(
                iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + offset),
                iov_len: bytes.count - offset
            )
            return try gatherAndWrite(chunk: chunk + 1, count: count, into: vectors)
        }
    }

    private func consume(_ written: Int) {
        pendingBytes -= written
        totalBytesWritten += written
        lastWriteProgress = loop.now
        var remaining = written
        while remaining > 0 {
            let available = outbound[outboundHead].count - headOffset
            if remaining >= available {
                remaining -= available
                outbound[outboundHead] = []
                outboundHead += 1
                headOffset = 0
            } else {
                headOffset += remaining
                remaining = 0
            }
        }
        if outboundHead == outbound.count {
            outbound.removeAll(keepingCapacity: outbound.count <= 16)
            outboundHead = 0
        }
    }

    // MARK: Interest and closing

    private func updateInterest() {
        guard !isClosed else { return }
        var wanted: EventMask = []
        if isReading { wanted.insert(.readable) }
        if waitingForWritable { wanted.insert(.writable) }
        if wanted != interest {
            interest = wanted
            loop.modify(socket.descriptor, interest: wanted)
        }
    }

    /// Closes the socket now, dropping unsent output, and notifies the handler.
    package func close(error: (any Error)? = nil) {
        guard !isClosed else { return }
        isClosed = true
        loop.deregister(socket.descriptor)
        socket.close()
        outbound = []
        pendingBytes = 0
        let handler = self.handler
        self.handler = nil
        handler?.connectionClosed(error: error)
    }
}
