import StratusNet
import Synchronization

/// A TCP connection that left HTTP/1.1 after a `101 Switching Protocols`
/// response (RFC 9110, section 7.8), such as a WebSocket: raw bytes in both
/// directions.
///
/// Reading applies backpressure: when the reader falls behind by more than
/// 256 KiB, the connection stops reading the socket until the reader catches
/// up. `write` suspends while more than the connection's write buffer limit
/// is unsent. Bytes that arrived together with the HTTP head (a client may
/// send its first frame right after the request) are returned by the first
/// reads.
///
/// Thread safety: the async methods may be called from any task; the
/// connection's own state is touched on its loop thread only.
public final class UpgradedConnection: Sendable {
    // MARK: Immutable

    let tcp: TCPConnection
    private let events: UpgradedConnectionEvents
    var eventHandler: UpgradedConnectionEvents { events }
    private var output: OutputChannel { events.output }
    private var input: BodyStream { events.input }

    // MARK: Guarded by mutexes

    /// Bytes that `read` returns before the stream's: what an HTTP parser
    /// read past a 101 head.
    private let pending = Mutex<[UInt8]>([])
    private let expiredFlag = Mutex(false)

    init(tcp: TCPConnection, buffered: [UInt8]) {
        self.tcp = tcp
        events = UpgradedConnectionEvents(tcp: tcp)
        if !buffered.isEmpty {
            input.append(buffered)
        }
    }

    /// Makes this object the connection's handler; call on the loop thread.
    func takeOver() {
        assert(tcp.loop.inEventLoop, "an upgraded connection must be taken over on its event loop")
        tcp.handler = events
        if tcp.isClosed {
            input.finish(throwing: ConnectionClosedError())
        } else {
            tcp.setReading(true)
        }
    }

    /// Returns the next bytes from the peer, or nil once the peer closed its
    /// sending side. Throws `ConnectionClosedError` (or the socket's error)
    /// when the connection closed.
    public func read() async throws -> [UInt8]? {
        let prefix = pending.withLock { pending in
            defer { pending = [] }
            return pending
        }
        if !prefix.isEmpty {
            return prefix
        }
        return try await input.next()
    }

    /// Puts `bytes` before anything not yet read.
    func prepend(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        pending.withLock { $0 = bytes + $0 }
    }

    /// Closes the connection because a deadline passed; `expired` reports it.
    func expire() {
        expiredFlag.withLock { $0 = true }
        tcp.loop.execute { [tcp] in tcp.close(error: HTTPClientError(.timedOut, "the deadline of the upgrade request passed")) }
    }

    var expired: Bool { expiredFlag.withLock { $0 } }

    /// Sends `bytes`, suspending while the unsent output is over its limit.
    /// Throws `ConnectionClosedError` once the connection is closed.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await output.write(bytes)
    }

    /// Closes the connection once the bytes already written are sent.
    public func close() async {
        await output.onLoop { [tcp] in tcp.closeAfterFlush() }
    }
}

/// The socket events of an `UpgradedConnection`, which owns it, because the
/// connection keeps only a weak reference to its handler.
///
/// Thread safety: the `ConnectionHandler` methods run on the loop thread;
/// the stream and channel are thread-safe.
final class UpgradedConnectionEvents: ConnectionHandler, @unchecked Sendable {
    let tcp: TCPConnection
    let output: OutputChannel
    let input: BodyStream

    init(tcp: TCPConnection) {
        self.tcp = tcp
        output = OutputChannel(tcp: tcp)
        let loop = tcp.loop
        input = BodyStream(onDemand: { [tcp] in loop.execute { tcp.setReading(true) } })
    }


    func connectionReceived(_ bytes: UnsafeRawBufferPointer) {
        if !input.append(Array(bytes)) {
            tcp.setReading(false)
        }
    }

    func connectionReceivedEOF() {
        input.finish()
    }

    func connectionWritable() {
        output.resumeWriters(throwing: nil)
    }

    func connectionClosed(error: (any Error)?) {
        input.finish(throwing: error ?? ConnectionClosedError())
        output.resumeWriters(throwing: error ?? ConnectionClosedError())
    }
}
