import StratusLog
import StratusNet

extension HTTPServerConnection {
    /// Runs the responder on a task bound to this connection's loop and writes
    /// its response.
    func runHandler(_ request: Request) {
        let context = RequestContext(remoteAddress: remoteAddress, logger: shared.logger)
        Task(executorPreference: loop) { [self] in
            let response = await respond(to: request, context: context)
            await send(response, for: request.head)
        }
    }

    private func respond(to request: Request, context: RequestContext) async -> Response {
        do {
            return try await shared.responder.respond(to: request, context: context)
        } catch let error as HTTPError {
            return error.response
        } catch {
            // The router's recovery middleware normally catches errors first; this
            // is the last line for responders built without it.
            shared.logger.error("handler failed", metadata: [
                "error": "\(error)",
                "http.method": "\(request.head.method)",
                "http.target": "\(request.head.target)",
            ])
            return HTTPError(.internalServerError).response
        }
    }

    /// Writes `response` and then either reads the next request or closes.
    func send(_ response: Response, for head: HTTPRequestHead) async {
        assert(loop.inEventLoop, "a response must be written on the connection's event loop")
        guard !tcp.isClosed else { return }
        let response = validated(response)
        let suppressBody = head.method == .head || response.status.forbidsContent
        switch response.body.storage {
        case .bytes(let bytes):
            let keepAlive = shouldKeepAlive(head, response, framingKnown: true)
            let framing: BodyFraming = response.status.forbidsContent ? .none : .contentLength(Int64(bytes.count))
            tcp.write(ResponseSerializer.head(
                response.status, headers: response.headers, framing: framing,
                date: loopState.dateCache.current(), close: !keepAlive,
                appending: suppressBody ? [] : bytes
            ))
            tcp.flush()
            finishResponse(keepAlive: keepAlive)
        case .stream(let length, let producer):
            let chunked = length == nil && head.version == .http1_1
            let keepAlive = shouldKeepAlive(head, response, framingKnown: length != nil || chunked)
            let framing: BodyFraming = response.status.forbidsContent ? .none : length.map { .contentLength(Int64($0)) } ?? (chunked ? .chunked : .untilClose)
            tcp.write(ResponseSerializer.head(
                response.status, headers: response.headers, framing: framing,
                date: loopState.dateCache.current(), close: !keepAlive
            ))
            tcp.flush()
            if !suppressBody {
                guard await stream(producer, chunked: chunked, length: length, head: head) else { return }
            }
            finishResponse(keepAlive: keepAlive)
        }
    }

    /// Runs a streaming producer; returns false when the connection had to close.
    private func stream(
        _ producer: @Sendable (any BodyWriter) async throws -> Void,
        chunked: Bool,
        length: Int?,
        head: HTTPRequestHead
    ) async -> Bool {
        let writer = ServerBodyWriter(connection: self, chunked: chunked)
        do {
            try await producer(writer)
            try await writer.finish(expectedLength: length)
            return true
        } catch {
            // Part of the response is on the wire, so the only way to tell the
            // client it is incomplete is to close the connection.
            if !(error is ConnectionClosedError) {
                shared.logger.error("response body failed", metadata: [
                    "error": "\(error)",
                    "http.method": "\(head.method)",
                    "http.target": "\(head.target)",
                ])
            }
            await onLoop { self.tcp.close(error: error) }
            return false
        }
    }

    /// Replaces a response whose fields would corrupt the message (CR, LF or
    /// NUL in a value, an invalid name) with a 500, and drops framing fields
    /// that the server sets itself.
    private func validated(_ response: Response) -> Response {
        var managedFieldSeen = false
        for field in response.headers {
            guard ResponseSerializer.isValid(field) else {
                shared.logger.error("response has an invalid header field", metadata: ["field.name": "\(describeBytes(field.name.utf8))"])
                return HTTPError(.internalServerError).response
            }
            managedFieldSeen = managedFieldSeen || ResponseSerializer.isManagedByServer(field.name)
        }
        guard managedFieldSeen else { return response }
        var response = response
        if response.headers.containsToken("close", in: "Connection") {
            draining = true
        }
        for name in ["Content-Length", "Transfer-Encoding", "Connection", "Date"] {
            response.headers.remove(name)
        }
        return response
    }

    /// Whether the connection stays open after this response (RFC 9112, section 9.3).
    private func shouldKeepAlive(_ head: HTTPRequestHead, _ response: Response, framingKnown: Bool) -> Bool {
        if draining || !framingKnown { return false }
        if head.headers.containsToken("close", in: "Connection") { return false }
        if head.version == .http1_0 && !head.headers.containsToken("keep-alive", in: "Connection") { return false }
        guard let exchange else { return false }
        // A client still waiting for 100 Continue will not send its body, so
        // the connection cannot be reused without knowing where it ends.
        if exchange.expectsContinue && !exchange.sentContinue && !exchange.bodyComplete { return false }
        return true
    }

    private func finishResponse(keepAlive: Bool) {
        guard !tcp.isClosed else { return }
        guard keepAlive else {
            exchange?.body?.finish(throwing: ConnectionClosedError())
            exchange = nil
            phase = .closing
            tcp.closeAfterFlush(lingering: true)
            return
        }
        exchange?.handlerDone = true
        if exchange?.bodyComplete == true {
            completeExchange()
        } else {
            // The handler did not read the whole body: drop the rest, then go on.
            exchange?.body?.finish(throwing: ConnectionClosedError())
            exchange?.body = nil
            exchange?.discarding = true
            tcp.setReading(true)
            processInput()
        }
    }

    /// Ends the current exchange and starts on the next pipelined request.
    func completeExchange() {
        exchange = nil
        if draining {
            phase = .closing
            tcp.closeAfterFlush(lingering: !parser.isIdle)
            return
        }
        if parser.isIdle {
            phase = .idle
            deadline = loop.now &+ shared.configuration.idleTimeout.nanoseconds
        } else {
            phase = .readingHead
            deadline = loop.now &+ shared.configuration.headerTimeout.nanoseconds
        }
        tcp.setReading(true)
        processInput()
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
}

/// Writes a streamed response body: adds chunk framing when needed and waits
/// while the connection's output is over its limit.
final class ServerBodyWriter: BodyWriter, @unchecked Sendable {
    // Safe to share: every access to `written` happens on the connection's loop,
    // inside `onLoop`.
    private let connection: HTTPServerConnection
    private let chunked: Bool
    private var written = 0

    init(connection: HTTPServerConnection, chunked: Bool) {
        self.connection = connection
        self.chunked = chunked
    }

    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await connection.onLoop { [self] in
            guard !connection.tcp.isClosed else { throw ConnectionClosedError() }
            written += bytes.count
            connection.tcp.write(chunked ? ResponseSerializer.chunk(bytes) : bytes)
            connection.tcp.flush()
        }
        try await connection.waitUntilWritableFromAnyThread()
    }

    func finish(expectedLength: Int?) async throws {
        try await connection.onLoop { [self] in
            if let expectedLength, expectedLength != written {
                throw HTTPError(.internalServerError, message: "response body was \(written) bytes but declared \(expectedLength)")
            }
            if chunked {
                connection.tcp.write(ResponseSerializer.lastChunk)
                connection.tcp.flush()
            }
        }
    }
}

extension HTTPServerConnection {
    func waitUntilWritableFromAnyThread() async throws {
        if loop.inEventLoop {
            try await waitUntilWritable()
            return
        }
        let writable = try await onLoop { [self] in tcp.isWritable }
        if !writable {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                loop.execute { [self] in
                    if tcp.isWritable {
                        continuation.resume()
                    } else if tcp.isClosed {
                        continuation.resume(throwing: ConnectionClosedError())
                    } else {
                        writableWaiters.append(continuation)
                    }
                }
            }
        }
    }
}
