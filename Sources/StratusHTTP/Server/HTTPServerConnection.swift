import StratusLog
import StratusNet

/// One client connection of an `HTTPServer`: parses requests, runs the
/// responder for one request at a time and writes the responses in order.
///
/// Pipelined requests wait in the parser's buffer until the response before
/// them is written, which keeps responses in request order (RFC 9112,
/// section 9.3.2) and bounds the work a client can queue.
///
/// Thread safety: loop thread only. Handler tasks run with the loop as their
/// executor preference, and `BodyWriter` calls from other threads hop to the
/// loop before touching any state.
final class HTTPServerConnection: ConnectionHandler, @unchecked Sendable {
    /// What the connection is waiting for, which decides the timeout that applies.
    enum Phase {
        /// Between requests, with nothing buffered: the idle timeout.
        case idle
        /// A request head has started arriving: the header timeout.
        case readingHead
        /// A handler runs; while it waits for body bytes, the body timeout.
        case handling
        /// Closing after the last response; only the write timeout applies.
        case closing
    }

    /// The request in progress and the state of its body.
    struct Exchange {
        var head: HTTPRequestHead
        var body: BodyStream?
        var bodyComplete: Bool
        var expectsContinue: Bool
        var sentContinue = false
        /// The handler has responded, so remaining body bytes are dropped.
        var discarding = false
        var discardedBytes: Int64 = 0
        var handlerDone = false
    }

    // MARK: Immutable

    let tcp: TCPConnection
    /// Strong, so that a connection outliving its server's shutdown stays valid;
    /// the loop state drops the connection when it closes, ending the cycle.
    let loopState: ServerLoopState
    var shared: ServerShared { loopState.shared }
    var loop: EventLoop { tcp.loop }
    let remoteAddress: String?
    let output: OutputChannel

    // MARK: Loop thread only

    var parser: HTTPRequestParser
    var phase = Phase.idle
    var exchange: Exchange?
    var deadline: UInt64
    var draining = false
    /// Whether no byte has arrived yet: true for a new connection, false for one idle between requests.
    var awaitingFirstRequest = true
    /// The parser failed while a handler was running: stop parsing and close
    /// after that handler's response.
    var inputFailed = false
    /// The client closed the connection or shut down its sending side.
    var peerEnded = false
    /// The task running a streamed response body's producer, cancelled when
    /// the client goes away.
    var streamingProducer: Task<Void, any Error>?

    init(tcp: TCPConnection, loopState: ServerLoopState) {
        self.tcp = tcp
        self.loopState = loopState
        output = OutputChannel(tcp: tcp)
        remoteAddress = (try? tcp.socket.remoteAddress())?.map(\.description)
        parser = HTTPRequestParser(limits: loopState.shared.configuration.limits)
        // A new connection waits for its first request under the header
        // timeout; the idle timeout applies between requests.
        deadline = tcp.loop.now &+ loopState.shared.configuration.headerTimeout.nanoseconds
    }

    // MARK: ConnectionHandler

    func connectionReceived(_ bytes: UnsafeRawBufferPointer) {
        parser.append(bytes)
        awaitingFirstRequest = false
        if phase == .idle {
            phase = .readingHead
            deadline = loop.now &+ shared.configuration.headerTimeout.nanoseconds
        }
        processInput()
    }

    func connectionReceivedEOF() {
        peerEnded = true
        // A streamed response may never end on its own (a watch), so its
        // producer stops once the client cannot send another request.
        streamingProducer?.cancel()
        // A client may half-close after sending its last request and still
        // read the response, so close only when nothing is in progress.
        if exchange == nil {
            tcp.closeAfterFlush()
        } else if let body = exchange?.body, !(exchange?.bodyComplete ?? true) {
            body.finish(throwing: HTTPError(.badRequest, message: "connection closed before the request body ended"))
            exchange?.body = nil
            draining = true
        } else {
            draining = true
        }
    }

    func connectionWritable() {
        output.resumeWriters(throwing: nil)
    }

    func connectionClosed(error: (any Error)?) {
        phase = .closing
        peerEnded = true
        streamingProducer?.cancel()
        if let body = exchange?.body {
            body.finish(throwing: error ?? ConnectionClosedError())
        }
        output.resumeWriters(throwing: error ?? ConnectionClosedError())
        loopState.remove(self)
    }

    // MARK: Parsing and dispatch

    /// Turns buffered bytes into requests and body chunks until the parser
    /// needs more bytes or the current request must finish first.
    func processInput() {
        // A rejected request or a final response sets the phase to closing,
        // and after that no input may start another exchange.
        while !tcp.isClosed && !inputFailed && phase != .closing {
            if let exchange, exchange.bodyComplete {
                // Wait for the response before reading the next pipelined request,
                // and stop reading once a full head's worth is buffered.
                if parser.bufferedCount > shared.configuration.limits.maxHeaderSize {
                    tcp.setReading(false)
                }
                return
            }
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next()
            } catch {
                reject(error)
                return
            }
            guard let event else { return }
            switch event {
            case .head(let head, let framing):
                startExchange(head, framing: framing)
            case .body(let chunk):
                deliverBody(chunk)
            case .end:
                finishBody()
            }
        }
    }

    private func startExchange(_ head: HTTPRequestHead, framing: BodyFraming) {
        var expectsContinue = false
        if let expectation = head.headers["Expect"] {
            guard expectation.equalsIgnoringASCIICase("100-continue") else {
                reject(HTTPParseError(.expectationFailed, "unsupported expectation \"\(expectation)\"; only 100-continue is"))
                return
            }
            expectsContinue = framing != .none && head.version == .http1_1
        }
        let stream: BodyStream? = framing == .none ? nil : makeBodyStream()
        exchange = Exchange(head: head, body: stream, bodyComplete: false, expectsContinue: expectsContinue)
        phase = .handling
        deadline = stream == nil ? .max : loop.now &+ shared.configuration.bodyTimeout.nanoseconds
        let request = Request(head: head, body: stream.map { IncomingBody(stream: $0) } ?? .empty)
        runHandler(request)
    }

    private func makeBodyStream() -> BodyStream {
        let loop = self.loop
        return BodyStream(
            highWatermark: shared.configuration.bodyBufferLimit,
            onDemand: { [self] in loop.execute { self.tcp.setReading(true) } },
            onFirstRead: { [self] in loop.execute { self.sendContinueIfExpected() } }
        )
    }

    private func deliverBody(_ chunk: [UInt8]) {
        guard var current = exchange else { return }
        deadline = loop.now &+ shared.configuration.bodyTimeout.nanoseconds
        if current.discarding {
            current.discardedBytes += Int64(chunk.count)
            exchange = current
            if current.discardedBytes > shared.configuration.maxDiscardedBody {
                tcp.close()
            }
            return
        }
        if let body = current.body, !body.append(chunk) {
            tcp.setReading(false)
        }
    }

    private func finishBody() {
        guard var current = exchange else { return }
        current.body?.finish()
        current.body = nil
        current.bodyComplete = true
        exchange = current
        if current.handlerDone {
            completeExchange()
        } else {
            deadline = .max
        }
    }

    private func sendContinueIfExpected() {
        guard var current = exchange, current.expectsContinue, !current.sentContinue, !current.handlerDone else { return }
        current.sentContinue = true
        exchange = current
        tcp.write(ResponseSerializer.continueLine)
        tcp.flush()
    }

    /// Responds to a request the parser rejected and closes the connection, since
    /// the framing of anything after it is unknown.
    func reject(_ error: HTTPParseError) {
        shared.logger.debug("request rejected", metadata: [
            "http.status": "\(error.status.code)",
            "error": "\(error.reason)",
            "client.address": "\(remoteAddress ?? "unknown")",
        ])
        // The handler gets an HTTPError, so that rethrowing it sends the
        // parser's status rather than 500.
        exchange?.body?.finish(throwing: HTTPError(error.status, message: error.reason))

        if exchange?.handlerDone == true {
            // The response to this request is already written. A second one
            // would respond to a request the client never sent, so close without one.
            exchange = nil
            phase = .closing
            tcp.closeAfterFlush(lingering: true)
            return
        }
        if exchange != nil {
            // A handler is still running and writes its own response. The body
            // error reaches it, and the connection closes after that response.
            draining = true
            inputFailed = true
            tcp.setReading(false)
            return
        }

        let body = Array("\(error.reason)\n".utf8)
        let headers: HTTPFields = ["Content-Type": "text/plain; charset=utf-8", "X-Stratus-Error": "\(error.status.code)"]
        let bytes = ResponseSerializer.head(
            error.status, headers: headers, framing: .contentLength(Int64(body.count)),
            date: loopState.dateCache.current(), close: true, appending: body
        )
        exchange = nil
        phase = .closing
        tcp.write(bytes)
        tcp.closeAfterFlush(lingering: true)
    }

    // MARK: Deadlines and draining

    /// Closes the connection when its current deadline has passed.
    func enforceDeadline(now: UInt64) {
        if tcp.isClosed { return }
        if tcp.pendingBytes > 0, now &- tcp.lastWriteProgress > shared.configuration.writeTimeout.nanoseconds {
            shared.logger.debug("write timed out", metadata: ["client.address": "\(remoteAddress ?? "unknown")"])
            tcp.close(error: HTTPError(.requestTimeout, message: "write timed out"))
            return
        }
        guard now >= deadline else { return }
        switch phase {
        case .idle, .closing:
            tcp.close()
        case .readingHead:
            reject(HTTPParseError(.requestTimeout, "request head not received within \(shared.configuration.headerTimeout)"))
        case .handling:
            let error = HTTPError(.requestTimeout, message: "request body stalled for \(shared.configuration.bodyTimeout)")
            exchange?.body?.finish(throwing: error)
            exchange?.body = nil
            draining = true
            deadline = .max
        }
    }

    /// Closes the connection now if it is idle between requests, otherwise
    /// after the current response.
    ///
    /// A new connection, or one reading a request head, stays open for that
    /// one request, because its client may have sent it already and cannot
    /// tell whether a retry is safe. A new connection waits at most
    /// `firstRequestWhileDraining` for it.
    func beginDraining() {
        draining = true
        guard exchange == nil else { return }
        switch phase {
        case .idle where awaitingFirstRequest:
            deadline = min(deadline, loop.now &+ Self.firstRequestWhileDraining)
        case .readingHead:
            break
        default:
            tcp.closeAfterFlush()
        }
    }

    /// Maximum wait, in nanoseconds, for the first request of a new
    /// connection during shutdown: 1 s, ample for a client that connected to send one.
    static let firstRequestWhileDraining: UInt64 = 1_000_000_000
}

/// The connection closed before the response was written.
public struct ConnectionClosedError: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "connection closed" }
}
