import StratusNet

/// One pooled client connection to an endpoint; runs one request at a time.
///
/// Thread safety: loop thread only. `send` must be called on a task whose
/// executor preference is the connection's loop; `HTTPClient` arranges that.
final class ClientConnection: ConnectionHandler, @unchecked Sendable {
    /// A failed exchange, with what is needed to decide on a retry.
    struct Failure: Error {
        var error: HTTPClientError
        /// Request bytes the kernel accepted before the failure.
        var requestBytesWritten: Int
        /// Whether any byte of the response arrived.
        var responseStarted: Bool

        /// A retry is safe when the server cannot have acted on the request:
        /// nothing of it was sent, or the method is idempotent and nothing of a
        /// response came back (RFC 9110, section 9.2.2).
        func allowsRetry(of method: HTTPMethod) -> Bool {
            guard error.code == .connectionClosed, !responseStarted else { return false }
            return requestBytesWritten == 0 || method.isIdempotent
        }
    }

    // MARK: Immutable

    let tcp: TCPConnection
    let key: ConnectionPool.Key
    let output: OutputChannel
    /// Weak: a client dropped without `shutdown()` frees its pool, and its
    /// connections then close instead of returning to it.
    weak var pool: ConnectionPool?
    var loop: EventLoop { tcp.loop }

    // MARK: Loop thread only

    private var parser: HTTPResponseParser
    private var headWaiter: CheckedContinuation<HTTPClientResponse, any Error>?
    private var body: BodyStream?
    private var bytesWrittenBefore = 0
    private var responseStarted = false
    private var reusable = true
    private var requestComplete = false
    private var responseComplete = false
    /// The wait in progress and its deadline, when it fails.
    private var wait: Wait = .idle
    private var deadline: UInt64?
    /// The loop timer, which fires at `timerDeadline`, at or before `deadline`.
    private var timer: UInt64?
    private var timerDeadline: UInt64 = 0
    private(set) var exchangeCount = 0
    private(set) var busy = false
    private let readTimeout: Duration

    init(tcp: TCPConnection, key: ConnectionPool.Key, pool: ConnectionPool, limits: HTTPLimits, readTimeout: Duration) {
        self.tcp = tcp
        self.key = key
        self.pool = pool
        self.readTimeout = readTimeout
        output = OutputChannel(tcp: tcp)
        parser = HTTPResponseParser(limits: limits)
    }

    // MARK: Sending

    /// Sends the request and returns once the response head arrives; the body
    /// streams after that.
    ///
    /// - Parameter head: the request head from `serializeHead`, made before a
    ///   connection is taken so that an invalid request never holds one.
    func send(_ request: HTTPClientRequest, head: [UInt8], timeout: Duration) async throws -> HTTPClientResponse {
        assert(loop.inEventLoop, "ClientConnection.send must run on the connection's event loop")
        guard !tcp.isClosed else {
            throw Failure(error: HTTPClientError(.connectionClosed, "pooled connection to \(key) was closed"), requestBytesWritten: 0, responseStarted: false)
        }
        startExchange(method: request.method)
        tcp.write(head)
        if case .bytes(let bytes) = request.body.storage {
            tcp.write(bytes)
            requestComplete = true
        }
        tcp.flush()
        arm(.response(timeout), after: timeout)
        if case .stream(let length, let producer) = request.body.storage {
            streamBody(producer, length: length, timeout: timeout)
        }
        return try await withCheckedThrowingContinuation { continuation in
            if tcp.isClosed {
                continuation.resume(throwing: failure(HTTPClientError(.connectionClosed, "connection to \(key) closed")))
            } else {
                headWaiter = continuation
            }
        }
    }

    private func startExchange(method: HTTPMethod) {
        busy = true
        exchangeCount += 1
        disarm()
        parser.expectResponse(to: method)
        bytesWrittenBefore = tcp.totalBytesWritten
        responseStarted = false
        requestComplete = false
        responseComplete = false
        body = nil
    }

    /// Serializes the request line and fields, or throws `invalidRequest` for a
    /// method or field that would corrupt the message.
    static func serializeHead(_ request: HTTPClientRequest, target: RequestTarget) throws(HTTPClientError) -> [UInt8] {
        let method = request.method.rawValue
        let token = ByteClass.token
        guard !method.isEmpty, method.utf8.allSatisfy({ token[Int($0)] }) else {
            throw HTTPClientError(.invalidRequest, "invalid method \(describeBytes(method.utf8)): a method must be a token such as GET or PURGE")
        }

        // Reserve the whole head at once, since a bearer token alone can outgrow a
        // guess. 80 bytes cover the fixed text, the port and a Content-Length.
        var size = method.utf8.count + target.target.utf8.count + target.host.utf8.count + 80
        for field in request.headers {
            size += field.name.utf8.count + field.value.utf8.count + 4
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        bytes.appendUTF8(method)
        bytes.append(0x20)
        bytes.appendUTF8(target.target)
        bytes.append(contentsOf: " HTTP/1.1\r\n".utf8)
        // One pass over the caller's fields, without copying them: the
        // framing fields are left out and set from the body below.
        var hasHost = false
        for field in request.headers {
            switch field.name.utf8.count {
            case 4 where field.name.equalsIgnoringASCIICase("Host"):
                hasHost = true
            case 14 where field.name.equalsIgnoringASCIICase("Content-Length"),
                17 where field.name.equalsIgnoringASCIICase("Transfer-Encoding"):
                continue
            default:
                break
            }
            guard ResponseSerializer.isValid(field) else {
                throw HTTPClientError(.invalidRequest, "invalid header field \(describeBytes(field.name.utf8)): names must be tokens and values must not contain CR, LF or NUL")
            }
            bytes.appendField(field.name, field.value)
        }
        if !hasHost {
            guard ByteClass.isValidFieldValue(target.hostField) else {
                throw HTTPClientError(.invalidRequest, "invalid host \(describeBytes(target.hostField.utf8)): a host must not contain CR, LF or NUL")
            }
            bytes.appendField("Host", target.hostField)
        }
        switch request.body.storage {
        case .bytes(let body):
            if !body.isEmpty || [.post, .put, .patch].contains(request.method) {
                bytes.appendField("Content-Length", String(body.count))
            }
        case .stream(let length, _):
            if let length {
                bytes.appendField("Content-Length", String(length))
            } else {
                bytes.appendField("Transfer-Encoding", "chunked")
            }
        }
        bytes.append(contentsOf: "\r\n".utf8)
        return bytes
    }

    /// Runs the request body producer beside the wait for the response, since
    /// a server may respond (413, 401) before the body is complete.
    ///
    /// The wait for the response head restarts with each write and once more
    /// when the body ends, so a long upload is not cut off by `timeout` while
    /// it moves, and a server that stops reading it still is.
    private func streamBody(_ producer: @escaping @Sendable (any BodyWriter) async throws -> Void, length: Int?, timeout: Duration) {
        let writer = StreamingBodyWriter(output: output, chunked: length == nil) { [self] in
            restartResponseWait(timeout)
        }
        Task(executorPreference: loop) { [self] in
            do {
                try await producer(writer)
                try await writer.finish(expectedLength: length)
                requestComplete = true
                restartResponseWait(timeout)
                releaseIfDone()
            } catch {
                if !tcp.isClosed {
                    tcp.close(error: HTTPClientError(.invalidRequest, "request body failed: \(error)"))
                }
            }
        }
    }

    // MARK: ConnectionHandler

    func connectionReceived(_ bytes: UnsafeRawBufferPointer) {
        guard busy else {
            // Bytes on an idle connection are not a response to anything.
            tcp.close(error: HTTPClientError(.invalidResponse, "unexpected bytes from \(key) on an idle connection"))
            return
        }
        responseStarted = true
        parser.append(bytes)
        processInput()
    }

    private func processInput() {
        while !tcp.isClosed && !responseComplete {
            let event: HTTPResponseParser.Event?
            do {
                event = try parser.next()
            } catch {
                tcp.close(error: HTTPClientError(.invalidResponse, "invalid response from \(key): \(error.reason)"))
                return
            }
            guard let event else { return }
            handle(event)
        }
    }

    private func handle(_ event: HTTPResponseParser.Event) {
        switch event {
        case .head(let head, let framing):
            reusable = Self.allowsReuse(head, framing: framing)
            let stream = framing == .none ? nil : makeBodyStream()
            body = stream
            arm(.body, after: readTimeout)
            let response = HTTPClientResponse(
                status: head.status, version: head.version, headers: head.headers,
                body: stream.map { IncomingBody(stream: $0) } ?? .empty
            )
            let waiter = headWaiter
            headWaiter = nil
            waiter?.resume(returning: response)
        case .body(let chunk):
            arm(.body, after: readTimeout)
            if let body, !body.append(chunk) {
                tcp.setReading(false)
            }
        case .end:
            responseComplete = true
            body?.finish()
            body = nil
            releaseIfDone()
        }
    }

    private func makeBodyStream() -> BodyStream {
        let loop = self.loop
        return BodyStream(onDemand: { [self] in loop.execute { self.tcp.setReading(true) } })
    }

    /// RFC 9112, section 9.3: a connection persists unless either side sends
    /// `close`, the peer is HTTP/1.0 without keep-alive, or the body ends at close.
    private static func allowsReuse(_ head: HTTPResponseHead, framing: BodyFraming) -> Bool {
        if framing == .untilClose { return false }
        if head.headers.containsToken("close", in: "Connection") { return false }
        if head.version == .http1_0 && !head.headers.containsToken("keep-alive", in: "Connection") { return false }
        return true
    }

    /// Returns the connection to the pool once both directions are done.
    private func releaseIfDone() {
        guard busy, requestComplete, responseComplete, !tcp.isClosed else { return }
        busy = false
        disarm()
        guard reusable else {
            tcp.close()
            return
        }
        guard let pool else {
            tcp.close()
            return
        }
        tcp.setReading(true)
        pool.release(self)
    }

    func connectionReceivedEOF() {
        if busy, let end = parser.finishAtEndOfInput() {
            handle(end)
        }
        tcp.close(error: busy ? HTTPClientError(.connectionClosed, "\(key) closed the connection before the response was complete") : nil)
    }

    func connectionWritable() {
        output.resumeWriters(throwing: nil)
    }

    func connectionClosed(error: (any Error)?) {
        stopTimer()
        let clientError = (error as? HTTPClientError) ?? HTTPClientError(.connectionClosed, "connection to \(key) closed\(error.map { ": \($0)" } ?? "")")
        if let waiter = headWaiter {
            headWaiter = nil
            waiter.resume(throwing: failure(clientError))
        }
        body?.finish(throwing: clientError)
        body = nil
        output.resumeWriters(throwing: clientError)
        busy = false
        pool?.remove(self)
    }

    private func failure(_ error: HTTPClientError) -> Failure {
        Failure(error: error, requestBytesWritten: tcp.totalBytesWritten - bytesWrittenBefore, responseStarted: responseStarted)
    }

    // MARK: Timers

    /// A wait that a deadline bounds.
    private enum Wait {
        case response(Duration)
        case body
        case idle
    }

    /// Closes the connection if `wait` has not ended after `delay`.
    ///
    /// A request arms and disarms several deadlines, so the loop timer is
    /// moved only when the new deadline comes before it. A timer that fires
    /// before the deadline schedules itself again for the rest. Most
    /// requests then change two fields and leave the timer heap alone.
    private func arm(_ wait: Wait, after delay: Duration) {
        let deadline = MonotonicClock.now() &+ delay.nanoseconds
        self.wait = wait
        self.deadline = deadline
        if let timer {
            guard deadline < timerDeadline else { return }
            loop.cancelTimer(timer)
        }
        schedule(at: deadline)
    }

    /// Moves the response head's deadline to `timeout` from now while the
    /// head is still awaited.
    private func restartResponseWait(_ timeout: Duration) {
        guard headWaiter != nil, case .response = wait else { return }
        arm(.response(timeout), after: timeout)
    }

    /// Ends the current wait. The timer stays and finds no deadline.
    private func disarm() {
        deadline = nil
    }

    private func stopTimer() {
        deadline = nil
        if let timer {
            loop.cancelTimer(timer)
            self.timer = nil
        }
    }

    private func schedule(at deadline: UInt64) {
        timerDeadline = deadline
        timer = loop.scheduleTimer(at: deadline) { [weak self] in
            self?.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        guard let deadline else { return }
        guard MonotonicClock.now() >= deadline else {
            schedule(at: deadline)
            return
        }
        self.deadline = nil
        tcp.close(error: error(for: wait))
    }

    /// Makes the error of a wait that timed out. The message is formatted
    /// only here, because formatting it on every request costs more than
    /// the rest of arming the deadline.
    private func error(for wait: Wait) -> HTTPClientError {
        switch wait {
        case .response(let timeout): HTTPClientError(.timedOut, "no response from \(key) within \(timeout)")
        case .body: HTTPClientError(.timedOut, "response body from \(key) stalled for \(readTimeout)")
        case .idle: HTTPClientError(.connectionClosed, "idle timeout")
        }
    }

    /// Closes the connection after `idleTimeout` in the pool.
    func armIdleTimer(_ idleTimeout: Duration) {
        arm(.idle, after: idleTimeout)
    }
}
